"""pubkit's engine gives argostranslate's own output, on the same tiny package (where argostranslate is installed).

argostranslate is an optional extra (`pip install -e ".[argos]"`, which pulls torch and stanza).
It runs in a subprocess, configured by ``support.argos_compat`` (a private HOME, pubkit's
sentence splitter in place of MiniSBD, which downloads a model on first use).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from support.argos_factory import build_package_dir, zip_package

pytestmark = pytest.mark.skipif(importlib.util.find_spec("argostranslate") is None,
                                reason="argostranslate not installed (optional extra: pip install -e '.[argos]')")

TEXTS = ["Thái Nguyên cách Hà Nội khoảng 80 km về phía bắc. Đường cao tốc rút ngắn thời gian đi lại!",
         "Hồ Núi Cốc là điểm du lịch nổi tiếng.", "TP. Thái Nguyên có 6 khu công nghiệp."]

SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[3])
    from support.argos_compat import import_argostranslate
    package, translate = import_argostranslate(Path(sys.argv[4]), Path(sys.argv[5]))
    package.install_from_path(sys.argv[1])
    print(json.dumps([translate.translate(text, "vi", "en") for text in json.loads(sys.argv[2])]))
""")



def test_pubkit_matches_argostranslate(tmp_path):
    from pubkit.translate.engine import Engine
    from pubkit.translate.packages import installed

    package_dir = build_package_dir(tmp_path / "build", "vi", "en")
    archive = zip_package(package_dir, tmp_path / "vi_en.argosmodel")
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(archive), json.dumps(TEXTS), str(Path(__file__).parent),
                           str(tmp_path / "home"), str(tmp_path / "argos")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    theirs = json.loads(done.stdout.strip().splitlines()[-1])
    from pubkit.translate.sentences import split_sentences

    ours = Engine(installed(tmp_path / "build")[0]).translate([split_sentences(text) for text in TEXTS])
    assert ours == theirs
