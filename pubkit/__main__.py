from pubkit.cli import main

main()
