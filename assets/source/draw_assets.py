#!/usr/bin/env python3
"""Draw the raster illustrations of the pubkit Thai Nguyen brochure.

Run from the repository root:

    python assets/source/draw_assets.py

Every image is drawn from code with Pillow and numpy (no photographs, no
downloaded data), supersampled and reduced with a Lanczos filter so edges are
anti-aliased, and written to ``assets/`` as an RGB PNG tagged 300 ppi at
exactly its placed size.  All random choices use fixed seeds, so re-running
the script reproduces the same files.

The pictures carry no words or letters, because one set of images serves all
five language editions; only the chart axes carry digits, and the industrial
park markers carry the numbers 1-6 (see ``PARK_NUMBERS``) so that a caption
in any language can name them.

All images are original works made for the pubkit project and are dedicated
to the public domain under CC0-1.0.
"""
from __future__ import annotations

import math
import random
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
ASSETS = HERE.parent
ROOT = ASSETS.parent
DPI = (300, 300)

# Numbered badges on the industrial-park markers (digits only, no letters).
PARK_NUMBERS = True

# --------------------------------------------------------------------------
# palette
# --------------------------------------------------------------------------
P = {
    "navy": "#123a52",
    "deep_teal": "#16606f",
    "teal": "#1f7a8c",
    "teal_light": "#5fa8b3",
    "water": "#3f8fa0",
    "water_light": "#a9d4d6",
    "sky_top": "#1d5775",
    "sky_mid": "#3f819b",
    "sky_low": "#8dbdc6",
    "haze": "#d9e6d6",
    "warm_haze": "#f6ddab",
    "tea_dark": "#2c6a3d",
    "tea": "#5a9f46",
    "tea_mid": "#4f9443",
    "tea_light": "#8cc460",
    "tea_pale": "#b9dc8c",
    "forest": "#2f6b4f",
    "forest_dark": "#1f4f3b",
    "gold": "#f2a93b",
    "gold_light": "#f8cf7a",
    "orange": "#e07a2e",
    "red_orange": "#cf4a1e",
    "straw": "#f1dda6",
    "straw_dark": "#d2b26f",
    "sand": "#e8d7a8",
    "ink": "#3d4d55",
    "grid": "#dde4e7",
    "white": "#ffffff",
}


def rgb(c):
    if isinstance(c, str):
        c = c.lstrip("#")
        return tuple(int(c[i:i + 2], 16) for i in (0, 2, 4))
    return tuple(int(v) for v in c[:3])


def mix(a, b, t):
    a, b = rgb(a), rgb(b)
    return tuple(int(round(a[i] + (b[i] - a[i]) * t)) for i in range(3))


def ramp(stops, t):
    """Colour ramp: stops [(pos, colour), ...], t array -> (..., 3) float."""
    t = np.asarray(t, dtype=np.float64)
    pos = np.array([s[0] for s in stops], dtype=np.float64)
    cols = np.array([rgb(s[1]) for s in stops], dtype=np.float64)
    out = np.empty(t.shape + (3,))
    for ch in range(3):
        out[..., ch] = np.interp(t, pos, cols[:, ch])
    return out


def catmull(points, n=16, closed=False):
    """Smooth a polyline through the given points (centripetal-free CR)."""
    pts = [tuple(map(float, p)) for p in points]
    if closed:
        ext = [pts[-1]] + pts + [pts[0], pts[1]]
    else:
        ext = [pts[0]] + pts + [pts[-1]]
    out = []
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        for k in range(n):
            t = k / n
            t2, t3 = t * t, t * t * t
            x = 0.5 * ((2 * p1[0]) + (-p0[0] + p2[0]) * t
                       + (2 * p0[0] - 5 * p1[0] + 4 * p2[0] - p3[0]) * t2
                       + (-p0[0] + 3 * p1[0] - 3 * p2[0] + p3[0]) * t3)
            y = 0.5 * ((2 * p1[1]) + (-p0[1] + p2[1]) * t
                       + (2 * p0[1] - 5 * p1[1] + 4 * p2[1] - p3[1]) * t2
                       + (-p0[1] + 3 * p1[1] - 3 * p2[1] + p3[1]) * t3)
            out.append((x, y))
    if not closed:
        out.append(pts[-1])
    return out


def polyline_length(pts):
    return sum(math.dist(pts[i], pts[i + 1]) for i in range(len(pts) - 1))


def dash_segments(pts, on, off, phase=0.0):
    """Split a polyline into dashes of length `on` separated by `off`."""
    segs, cur = [], []
    state_on, left = True, on - phase
    if left <= 0:
        state_on, left = False, off + left
    for i in range(len(pts) - 1):
        a, b = pts[i], pts[i + 1]
        seg = math.dist(a, b)
        pos = 0.0
        while seg - pos > 1e-9:
            step = min(left, seg - pos)
            t0, t1 = pos / seg, (pos + step) / seg
            pa = (a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0)
            pb = (a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1)
            if state_on:
                if not cur:
                    cur.append(pa)
                cur.append(pb)
            pos += step
            left -= step
            if left <= 1e-9:
                if state_on and len(cur) > 1:
                    segs.append(cur)
                cur = []
                state_on = not state_on
                left = on if state_on else off
    if state_on and len(cur) > 1:
        segs.append(cur)
    return segs


# --------------------------------------------------------------------------
# supersampled canvas; coordinates are given in final pixels
# --------------------------------------------------------------------------
class Canvas:
    def __init__(self, w, h, ss=2, bg=None):
        self.w, self.h, self.ss = w, h, ss
        self.W, self.H = w * ss, h * ss
        fill = rgb(bg) + (255,) if bg is not None else (0, 0, 0, 0)
        self.img = Image.new("RGBA", (self.W, self.H), fill)
        self.draw = ImageDraw.Draw(self.img)

    # coordinate helpers
    def sp(self, pts):
        s = self.ss
        return [(float(x) * s, float(y) * s) for x, y in pts]

    def layer(self):
        return Canvas(self.w, self.h, self.ss)

    def merge(self, other, opacity=1.0):
        im = other.img
        if opacity < 1.0:
            a = np.asarray(im.getchannel("A"), dtype=np.float32) * opacity
            im = im.copy()
            im.putalpha(Image.fromarray(np.clip(a + 0.5, 0, 255).astype(np.uint8)))
        self.img.alpha_composite(im)

    def paste_rgba(self, arr, x0=0, y0=0):
        """Alpha-composite a float/uint8 RGBA array at supersampled (x0, y0)."""
        arr = np.clip(arr, 0, 255).astype(np.uint8)
        im = Image.fromarray(arr, "RGBA")
        self.img.alpha_composite(im, dest=(int(x0), int(y0)))

    # primitives
    def polygon(self, pts, fill):
        self.draw.polygon(self.sp(pts), fill=rgb(fill))

    def polyline(self, pts, color, width, caps=True):
        pp = self.sp(pts)
        wv = width * self.ss
        self.draw.line(pp, fill=rgb(color), width=max(1, int(round(wv))), joint="curve")
        if caps:
            r = wv / 2.0
            for x, y in (pp[0], pp[-1]):
                self.draw.ellipse([x - r, y - r, x + r, y + r], fill=rgb(color))

    def dashed(self, pts, color, width, on, off, phase=0.0, caps=False):
        for seg in dash_segments(pts, on, off, phase):
            self.polyline(seg, color, width, caps=caps)

    def ellipse(self, cx, cy, rx, ry, fill=None, outline=None, width=0):
        s = self.ss
        box = [(cx - rx) * s, (cy - ry) * s, (cx + rx) * s, (cy + ry) * s]
        self.draw.ellipse(box, fill=rgb(fill) if fill is not None else None,
                          outline=rgb(outline) if outline is not None else None,
                          width=int(round(width * s)))

    def circle(self, cx, cy, r, fill=None, outline=None, width=0):
        self.ellipse(cx, cy, r, r, fill, outline, width)

    def rrect(self, x0, y0, x1, y1, r, fill=None, outline=None, width=0):
        s = self.ss
        self.draw.rounded_rectangle([x0 * s, y0 * s, x1 * s, y1 * s], radius=r * s,
                                    fill=rgb(fill) if fill is not None else None,
                                    outline=rgb(outline) if outline is not None else None,
                                    width=int(round(width * s)))

    def _bbox(self, pp, pad=2):
        xs = [p[0] for p in pp]
        ys = [p[1] for p in pp]
        x0 = max(0, int(math.floor(min(xs))) - pad)
        y0 = max(0, int(math.floor(min(ys))) - pad)
        x1 = min(self.W, int(math.ceil(max(xs))) + pad)
        y1 = min(self.H, int(math.ceil(max(ys))) + pad)
        return x0, y0, x1, y1

    def gradient_polygon(self, pts, stops, a, b, axis="y"):
        """Fill a polygon with a linear ramp running from a to b along axis."""
        pp = self.sp(pts)
        x0, y0, x1, y1 = self._bbox(pp)
        if x1 <= x0 or y1 <= y0:
            return
        mask = Image.new("L", (x1 - x0, y1 - y0), 0)
        ImageDraw.Draw(mask).polygon([(x - x0, y - y0) for x, y in pp], fill=255)
        s = self.ss
        if axis == "y":
            t = (np.arange(y0, y1) / s - a) / (b - a)
            col = ramp(stops, t)[:, None, :]
            arr = np.broadcast_to(col, (y1 - y0, x1 - x0, 3))
        else:
            t = (np.arange(x0, x1) / s - a) / (b - a)
            col = ramp(stops, t)[None, :, :]
            arr = np.broadcast_to(col, (y1 - y0, x1 - x0, 3))
        im = Image.fromarray(np.clip(arr + 0.5, 0, 255).astype(np.uint8), "RGB").convert("RGBA")
        self.img.paste(im, (x0, y0), mask)

    def vgradient(self, y_top, y_bot, stops):
        self.gradient_polygon([(0, y_top), (self.w, y_top), (self.w, y_bot), (0, y_bot)],
                              stops, y_top, y_bot)

    def glow(self, cx, cy, r, color, max_alpha, power=2.0):
        s = self.ss
        x0, y0 = int(max(0, (cx - r) * s)), int(max(0, (cy - r) * s))
        x1, y1 = int(min(self.W, (cx + r) * s)), int(min(self.H, (cy + r) * s))
        if x1 <= x0 or y1 <= y0:
            return
        yy, xx = np.mgrid[y0:y1, x0:x1]
        d = np.hypot(xx / s - cx, yy / s - cy) / r
        a = np.clip(1.0 - d, 0, 1) ** power * max_alpha
        arr = np.empty((y1 - y0, x1 - x0, 4))
        arr[..., :3] = rgb(color)
        arr[..., 3] = a * 255
        self.paste_rgba(arr, x0, y0)

    def band(self, y_top, y_bot, color, a_top, a_bot, power=1.0):
        """Horizontal translucent band whose alpha ramps from a_top to a_bot."""
        s = self.ss
        y0, y1 = int(max(0, y_top * s)), int(min(self.H, y_bot * s))
        if y1 <= y0:
            return
        t = np.linspace(0, 1, y1 - y0) ** power
        a = (a_top + (a_bot - a_top) * t) * 255
        arr = np.empty((y1 - y0, self.W, 4))
        arr[..., :3] = rgb(color)
        arr[..., 3] = a[:, None]
        self.paste_rgba(arr, 0, y0)

    def final(self):
        return self.img.resize((self.w, self.h), Image.LANCZOS).convert("RGB")


def save(img, name):
    path = ASSETS / name
    img.save(path, dpi=DPI, optimize=True)
    print(f"wrote {path.relative_to(ROOT)}  {img.size[0]}x{img.size[1]}  "
          f"{path.stat().st_size / 1e6:.2f} MB")


# --------------------------------------------------------------------------
# landscape building blocks
# --------------------------------------------------------------------------
def profile(xs, seed, base, comps):
    """Skyline: base minus a sum of sine ('s') and ridged ('r') components."""
    rng = np.random.RandomState(seed)
    y = np.full(len(xs), float(base))
    for amp, wl, kind in comps:
        ph = rng.uniform(0, 2 * np.pi)
        s = np.sin(2 * np.pi * xs / wl + ph)
        if kind == "r":
            y -= amp * (1.0 - np.abs(s)) ** 1.7
        else:
            y -= amp * s
    return y


def fill_under(c, xs, ys, color, bottom=None):
    bottom = c.h + 2 if bottom is None else bottom
    pts = list(zip(xs, ys)) + [(xs[-1], bottom), (xs[0], bottom)]
    c.polygon(pts, color)


def reflect(c, layer, axis_y, opacity=0.5, squash=0.75, tint=None, tint_amt=0.3,
            ripple=3.0, seed=0, fade=1.0, y_limit=None, gaps=True):
    """Composite a rippled vertical mirror image of `layer` below axis_y."""
    s = c.ss
    A = np.asarray(layer.img)
    ax = int(round(axis_y * s))
    bbox = layer.img.getbbox()
    if bbox is None:
        return
    top = bbox[1]
    if top >= ax:
        return
    src_h = ax - top
    out_h = int(src_h * squash)
    if y_limit is not None:
        out_h = min(out_h, int(y_limit * s) - ax)
    out_h = min(out_h, c.H - ax)
    if out_h <= 0:
        return
    d = np.arange(out_h)
    src = np.clip(ax - 1 - (d / squash).astype(int), 0, c.H - 1)
    R = A[src].astype(np.float32)  # (out_h, W, 4)
    rng = np.random.RandomState(seed)
    ph1, ph2 = rng.uniform(0, 2 * np.pi, 2)
    shift = (ripple * s * (np.sin(d / (5.0 * s) + ph1) * 0.6
                           + np.sin(d / (2.1 * s) + ph2) * 0.4)
             * (0.3 + 0.7 * d / max(out_h, 1))).astype(int)
    for i in range(out_h):
        if shift[i]:
            R[i] = np.roll(R[i], shift[i], axis=0)
    alpha = np.full(out_h, opacity, dtype=np.float32)
    alpha *= (1.0 - (d / max(out_h, 1)) * (1.0 - fade))
    if gaps:
        # horizontal breaks in the reflection, wider further from the axis
        per = (7.0 + 10.0 * d / max(out_h, 1)) * s
        phase = (d % per) / per
        alpha *= np.where(phase < 0.18 * (0.3 + d / max(out_h, 1)), 0.25, 1.0)
    if tint is not None:
        R[..., :3] = R[..., :3] * (1 - tint_amt) + np.array(rgb(tint), np.float32) * tint_amt
    R[..., 3] *= alpha[:, None]
    c.paste_rgba(R, 0, ax)


def crown(c, x, y, r, body, lit, off=0.24):
    """Round tree crown in `body` with a lit crescent on its upper left."""
    s = c.ss
    R = r * s
    n = int(math.ceil(2 * R)) + 4
    x0, y0 = int(math.floor(x * s - R)) - 2, int(math.floor(y * s - R)) - 2
    lx, ly = x * s - x0, y * s - y0
    im = Image.new("RGBA", (n, n), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.ellipse([lx - R, ly - R, lx + R, ly + R], fill=rgb(lit) + (255,))
    inner = Image.new("RGBA", (n, n), (0, 0, 0, 0))
    ImageDraw.Draw(inner).ellipse([lx - R + off * R, ly - R + off * R, lx + R + off * R,
                                   ly + R + off * R], fill=rgb(body) + (255,))
    a = np.asarray(inner.getchannel("A"), np.uint16) * np.asarray(im.getchannel("A"), np.uint16) // 255
    inner.putalpha(Image.fromarray(a.astype(np.uint8)))
    im.alpha_composite(inner)
    c.img.alpha_composite(im, dest=(x0, y0))


def island(c, cx, base, hw, h, seed, body, light, dark=None, shore=None, bumps=9):
    """Forested island: a dome covered by rows of round tree crowns, each lit
    from the upper left, with a darker foot and a thin shore line."""
    rng = random.Random(seed)
    xs = np.linspace(cx - hw, cx + hw, 60)
    u = (xs - cx) / hw
    prof = lambda t: base - h * max(0.0, 1 - t ** 2) ** 0.55
    ys = base - h * np.clip(1 - u ** 2, 0, 1) ** 0.55
    c.polygon(list(zip(xs, ys)) + [(cx + hw, base), (cx - hw, base)], body)
    lit_soft = mix(body, light, 0.75)
    rows = [(0.0, bumps), (0.5, max(3, bumps - 3))]
    for depth, n in rows:
        for k in range(n):
            t = ((k + 0.5) / n * 2 - 1) * (1 - depth * 0.3) + rng.uniform(-0.05, 0.05)
            x = cx + t * hw * 0.92
            yt = prof(t) + (base - prof(t)) * depth * 0.8
            r = h * rng.uniform(0.22, 0.32) * (0.55 + 0.45 * (1 - abs(t)))
            if depth > 0:
                r *= 1.15
            lit = lit_soft if t < 0.4 else mix(body, lit_soft, 0.4)
            crown(c, x, yt + r * 0.6, r, body, lit)
    if dark is not None:
        fx = np.linspace(cx - hw, cx + hw, 40)
        fu = (fx - cx) / hw
        fy = base - h * 0.14 * np.clip(1 - fu ** 2, 0, 1) ** 0.5
        c.polygon(list(zip(fx, fy)) + [(cx + hw, base), (cx - hw, base)], dark)
    if shore is not None:
        c.ellipse(cx, base, hw * 1.01, max(1.2, h * 0.035), shore)


def tree(c, x, y, size, trunk, crown, light):
    c.polyline([(x, y), (x, y - size * 0.9)], trunk, max(1.5, size * 0.12))
    c.circle(x - size * 0.28, y - size * 0.95, size * 0.42, crown)
    c.circle(x + size * 0.3, y - size * 1.0, size * 0.4, crown)
    c.circle(x, y - size * 1.3, size * 0.48, crown)
    c.circle(x - size * 0.14, y - size * 1.42, size * 0.26, light)


def hat(c, x, y, w, body=None):
    """Conical hat (non la) whose brim is centred at (x, y); the shoulders
    below it are meant to be half hidden by the bushes drawn next."""
    h = w * 0.42
    if body is not None:
        c.ellipse(x, y + w * 0.30, w * 0.30, w * 0.34, body)
        c.polygon([(x - w * 0.08, y + w * 0.02), (x + w * 0.08, y + w * 0.02),
                   (x, y + w * 0.14)], "#e9c7a0")
    c.polygon([(x, y - h), (x - w / 2, y), (x + w / 2, y)], P["straw"])
    c.polygon([(x, y - h), (x + w * 0.06, y), (x + w / 2, y)], P["straw_dark"])
    c.polyline([(x - w / 2, y), (x + w / 2, y)], mix(P["straw_dark"], "#8a6a33", 0.4),
               max(1.0, w * 0.05))


def tea_rows(c, xs, top, bottom, first_gap, growth, n_max, colors, seed,
             pickers=None, scallop=1.6):
    """Tea bushes in rows parallel to the crest `top` (an array over xs).

    Each row is a band with a scalloped upper edge; rows get taller towards
    the viewer (growth > 1).  colors: dict(base, bush, bush2, light).
    pickers: {row_index: [(x, hat_width, shirt_colour), ...]}.
    """
    rng = np.random.RandomState(seed)
    fill_under(c, xs, top, colors["base"], bottom)
    off, gap, j = 0.0, first_gap, 0
    while j < n_max:
        base_y = top + off
        if base_y.min() > bottom + 5:
            break
        th = gap * 0.76
        bw = max(4.0, th * scallop)
        ph = rng.uniform(0, bw)
        bump = np.abs(np.sin(np.pi * (xs + ph) / bw)) ** 0.5
        top_edge = base_y + th - th * (0.74 + 0.26 * bump)
        col = colors["bush"] if j % 2 == 0 else colors.get("bush2", colors["bush"])
        c.polygon(list(zip(xs, top_edge)) + list(zip(xs[::-1], (base_y + th)[::-1])), col)
        hl = top_edge + th * 0.28
        c.polygon(list(zip(xs, top_edge)) + list(zip(xs[::-1], hl[::-1])), colors["light"])
        if pickers and j in pickers:
            for (px, pw, shirt) in pickers[j]:
                i = int(np.argmin(np.abs(xs - px)))
                hat(c, px, base_y[i] + th * 0.55, pw, body=shirt)
        off += gap
        gap *= growth
        j += 1


def clip_to(layer, mask_layer):
    """Multiply layer alpha by the alpha of mask_layer (in place)."""
    a = np.asarray(layer.img.getchannel("A"), dtype=np.uint16)
    m = np.asarray(mask_layer.img.getchannel("A"), dtype=np.uint16)
    layer.img.putalpha(Image.fromarray(((a * m + 127) // 255).astype(np.uint8)))


def tea_dome(c, cx, base, R, Hd, tilt, n_rows, colors, seed, pickers=None,
             shape=0.8, scallop=1.5, trees=()):
    """A rounded hill whose tea rows run along its contour lines.

    The hill is z = Hd * (1 - (r/R)^2)^shape seen from slightly above; the
    contour at height z is an ellipse of radius r centred at base - z whose
    front half is drawn as one row of bushes.  pickers: {row: [(angle_deg,
    hat_width, shirt_colour)]}, angle 90 = front centre.  trees: [(angle,
    row, size)].
    """
    rng = np.random.RandomState(seed)
    sil = c.layer()
    zs = np.linspace(0, Hd, 90)
    for z in zs:  # union of all contour ellipses = silhouette
        r = R * math.sqrt(max(0.0, 1 - (z / Hd) ** (1 / shape)))
        sil.ellipse(cx, base - z, r + 0.5, r * tilt + 0.5, colors.get("fill", colors["base"]))
    rows = c.layer()
    # contour heights: rows equally spaced along the ground (arc length of
    # the hill profile), as tea rows are planted
    rr = np.linspace(0, R, 600)
    zz = Hd * np.clip(1 - (rr / R) ** 2, 0, 1) ** shape
    s = np.concatenate([[0], np.cumsum(np.hypot(np.diff(rr), np.diff(zz)))])
    starts = np.linspace(0, s[-1], n_rows + 1)[1:] - s[-1] / n_rows * 0.35
    zj = np.interp(starts, s, zz)
    for j, z in enumerate(zj):
        r = R * math.sqrt(max(0.0, 1 - (z / Hd) ** (1 / shape)))
        if r < 2:
            continue
        # spacing to the next (lower) contour along the front centre
        z2 = zj[j + 1] if j + 1 < len(zj) else 0.0
        r2 = R * math.sqrt(max(0.0, 1 - (z2 / Hd) ** (1 / shape)))
        gap = (base - z2 + r2 * tilt) - (base - z + r * tilt)
        th = max(2.0, gap * 1.05)
        ang = np.linspace(-0.15, math.pi + 0.15, 240)
        ex = cx + r * np.cos(ang)
        ey = base - z + r * tilt * np.sin(ang)
        # thickness shrinks toward the sides where contours converge
        k = 0.35 + 0.65 * np.clip(np.sin(ang), 0, 1)
        t_loc = th * k
        bw = max(4.0, th * scallop)
        ph = rng.uniform(0, bw)
        arc = np.concatenate([[0], np.cumsum(np.hypot(np.diff(ex), np.diff(ey)))])
        bump = np.abs(np.sin(np.pi * (arc + ph) / bw)) ** 0.5
        top_edge = ey - t_loc * (0.70 + 0.30 * bump)
        col = colors["bush"] if j % 2 == 0 else colors.get("bush2", colors["bush"])
        rows.polygon(list(zip(ex, top_edge)) + list(zip(ex[::-1], ey[::-1])), col)
        hl = top_edge + t_loc * 0.30
        rows.polygon(list(zip(ex, top_edge)) + list(zip(ex[::-1], hl[::-1])), colors["light"])
        # the dark gap under the row
        gap_edge = ey - t_loc * 0.18
        rows.polygon(list(zip(ex, gap_edge)) + list(zip(ex[::-1], ey[::-1])), colors["base"])
        for (a_deg, tj, size) in trees:
            if tj == j:
                a = math.radians(a_deg)
                tree(rows, cx + r * math.cos(a), base - z + r * tilt * math.sin(a) - th * 0.2,
                     size, "#4a3b2a", colors.get("tree", "#2a5e3e"), colors.get("tree_light", "#4c8a4f"))
        if pickers and j in pickers:
            for (a_deg, pw, shirt) in pickers[j]:
                a = math.radians(a_deg)
                hat(rows, cx + r * math.cos(a), base - z + r * tilt * math.sin(a) - th * 0.25,
                    pw, body=shirt)
    clip_to(rows, sil)
    c.merge(sil)
    c.merge(rows)


def peaks(c, seed, x0, x1, base, n, hrange, wrange, color, shade, wobble=0.04):
    """A range of faceted peaks; each peak's right flank is shaded."""
    rng = np.random.RandomState(seed)
    cxs = np.sort(rng.uniform(x0, x1, n))
    order = rng.permutation(n)
    for i in order:
        cx = cxs[i]
        h = rng.uniform(*hrange)
        wl = h * rng.uniform(*wrange)
        wr = h * rng.uniform(*wrange)
        ph = rng.uniform(0, 6.3)
        left, right = [], []
        for k in range(41):
            u = k / 40
            wob = 1 + wobble * math.sin(u * 9 + ph)
            left.append((cx - wl * u, base - h * (1 - u) ** 1.35 * wob))
            right.append((cx + wr * u, base - h * (1 - u) ** 1.35 / wob))
        outline = left[::-1] + right[1:]
        c.polygon(outline + [(cx + wr, base + 2), (cx - wl, base + 2)], color)
        # shaded flank: right slope down to a curved spur line
        spur = [(cx + wr * 0.18 * v ** 0.8, base - h * (1 - v) ** 1.1) for v in np.linspace(0, 1, 20)]
        c.polygon(right + [(cx + wr, base + 2)] + spur[::-1], shade)


# --------------------------------------------------------------------------
# 1. cover
# --------------------------------------------------------------------------
def draw_cover():
    W, H = 1819, 2551
    c = Canvas(W, H, ss=2)
    xs = np.linspace(-10, W + 10, 700)
    SUN = (W * 0.70, H * 0.49)

    # sky: a calm gradient over the top 40 % (the title band sits there)
    c.vgradient(0, H * 0.64, [
        (0.00, P["sky_top"]), (0.40, P["sky_mid"]), (0.64, P["sky_low"]),
        (0.78, P["haze"]), (0.90, P["warm_haze"]), (1.0, "#f9e6bd")])
    # low morning sun and its glow, well below the title band
    c.glow(*SUN, 640, "#fff1cf", 0.55, power=2.2)
    c.glow(*SUN, 170, "#fff6df", 0.85, power=1.2)
    c.circle(*SUN, 60, "#fff8e8")
    # two soft cloud wisps just above the ranges
    cl = c.layer()
    for (x0, y, w) in [(90, H * 0.452, 520), (1010, H * 0.445, 600)]:
        t = 26
        cl.rrect(x0 + w * 0.18, y - t * 0.9, x0 + w * 0.62, y + t * 0.2, t / 2, "#fdf4e2")
        cl.rrect(x0, y, x0 + w, y + t, t / 2, "#fdf4e2")
    c.merge(cl, 0.45)

    # layered mountains, far to near, each with mist at its feet
    peaks(c, 11, -150, W + 150, H * 0.58, 16, (110, 230), (1.4, 2.6), "#b2cbd0", "#a4c0c7")
    c.band(H * 0.52, H * 0.585, "#eef1e4", 0.0, 0.8, power=1.4)
    peaks(c, 23, -200, W + 200, H * 0.60, 11, (100, 200), (1.6, 3.0), "#86abb3", "#779fa8")
    c.band(H * 0.55, H * 0.605, "#e6eee2", 0.0, 0.75, power=1.5)
    peaks(c, 37, -250, W + 250, H * 0.62, 8, (90, 170), (2.0, 3.6), "#5d8f8f", "#507f82")
    c.band(H * 0.585, H * 0.625, "#e0eadc", 0.0, 0.6, power=1.5)

    # far shore of the lake: low forested hills
    Yw = H * 0.625
    shore = profile(xs, 41, Yw - 6, [(22, 420, "s"), (14, 170, "s"), (5, 60, "s")])
    shore = np.minimum(shore, Yw - 3)
    fill_under(c, xs, shore, "#44785f", bottom=Yw + 4)

    # the lake (Nui Coc): gradient water with the sky and ranges reflected
    ref_src = Canvas(W, H, ss=2)
    ref_src.img.paste(c.img.crop((0, 0, c.W, int(Yw * 2))), (0, 0))
    c.vgradient(Yw, H * 0.80, [(0.0, "#bddcd7"), (0.35, "#86c0c3"), (1.0, "#2f7f8e")])
    reflect(c, ref_src, Yw, opacity=0.45, squash=0.6, tint="#5a9fa8", tint_amt=0.35,
            ripple=2.5, seed=5, fade=0.2)
    # glints on the water
    st = c.layer()
    rng = random.Random(7)
    for _ in range(45):
        y = rng.uniform(Yw + 12, H * 0.78)
        depth = (y - Yw) / (H * 0.16)
        x = rng.uniform(-50, W)
        ln = rng.uniform(40, 140) * (0.5 + depth)
        th = 1.5 + 2.0 * depth
        st.rrect(x, y, x + ln, y + th, th / 2, "#eef7f2")
    c.merge(st, 0.4)
    sp = c.layer()
    rng = random.Random(8)
    for k in range(14):
        y = Yw + 10 + k * 11 * (1 + k * 0.09)
        w = rng.uniform(25, 60) + k * 9
        x = SUN[0] + rng.uniform(-20, 20)
        sp.rrect(x - w / 2, y, x + w / 2, y + 2.5 + k * 0.3, 2, "#fff3d6")
    c.merge(sp, 0.5)

    # islands with their reflections
    isl = [  # cx, base, half-width, height
        (230, Yw + 40, 160, 62), (590, Yw + 66, 96, 42), (1010, Yw + 30, 120, 38),
        (1360, Yw + 92, 200, 86), (1690, Yw + 44, 110, 44), (800, Yw + 128, 72, 32),
    ]
    for k, (cx, base, hw, h) in enumerate(isl):
        L = c.layer()
        depth = min(1.0, (base - Yw) / 140.0)
        body = mix("#5a8c78", "#2f6b4f", depth)
        light = mix("#7fa98a", "#5e9a64", depth)
        island(L, cx, base, hw, h, 100 + k, body, light, dark=mix(body, "#1f4f3b", 0.45),
               shore=mix("#cfc59a", "#d9c996", 0.5))
        reflect(c, L, base, opacity=0.5, squash=0.8, tint="#2f7f8e", tint_amt=0.4,
                ripple=2.0, seed=200 + k, fade=0.1)
        c.merge(L)

    # foreground: rolling hills of tea, back to front
    back_top = profile(xs, 51, H * 0.745, [(-45, 2400, "s"), (18, 700, "s"), (7, 260, "s")])
    tea_rows(c, xs, back_top, H + 4, 14.0, 1.06, 40,
             dict(base="#3f7752", bush="#78ab6b", bush2="#72a666", light="#a0c98a"), seed=61)
    for tx, sz in [(140, 24), (172, 18), (1230, 22), (1550, 28)]:
        i = int(np.argmin(np.abs(xs - tx)))
        tree(c, tx, back_top[i] + 4, sz, "#4a3b2a", "#336a4a", "#55905e")

    green_far = dict(base="#2f6a40", fill="#4b8d43", bush="#62a24e", bush2="#5c9c4a",
                     light="#94c86f", tree="#285c3c", tree_light="#4c8a4f")
    green_near = dict(base="#245a33", fill="#3f8639", bush="#55993f", bush2="#4f923b",
                      light="#8ac35f", tree="#234f34", tree_light="#417c47")
    tea_dome(c, 1480, H * 0.865, 620, 230, 0.24, 18, green_far, seed=71, shape=1.1,
             pickers={11: [(70, 36, "#2f78a8")], 14: [(108, 38, "#c8553d")]},
             trees=[(150, 4, 34)])
    tea_dome(c, 300, H * 0.88, 700, 250, 0.24, 19, green_far, seed=72, shape=1.1,
             trees=[(35, 3, 40)])
    tea_dome(c, 880, H * 1.03, 1000, 330, 0.22, 18, green_near, seed=73, shape=1.1,
             pickers={5: [(118, 60, "#e39a2f")], 7: [(97, 64, "#2f78a8")]})

    # soft warm light over the whole scene from the sun
    c.glow(SUN[0], SUN[1] + 40, 1300, "#ffe2a8", 0.10, power=1.5)
    return c.final()


# --------------------------------------------------------------------------
# digits (chart axes, park numbers)
# --------------------------------------------------------------------------
FONT_CANDIDATES = [
    ROOT / "fonts" / "BeVietnamPro-Regular.ttf",
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
]
BOLD_CANDIDATES = [
    ROOT / "fonts" / "BeVietnamPro-SemiBold.ttf",
    ROOT / "fonts" / "BeVietnamPro-Bold.ttf",
    ROOT / "fonts" / "BeVietnamPro-Medium.ttf",
    ROOT / "fonts" / "BeVietnamPro-Regular.ttf",
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
]


def font(size_px, bold=False):
    for p in (BOLD_CANDIDATES if bold else FONT_CANDIDATES):
        if p.exists():
            return ImageFont.truetype(str(p), int(round(size_px)))
    raise SystemExit("no usable font found (expected fonts/BeVietnamPro-Regular.ttf "
                     "or DejaVu Sans)")


def digits(c, x, y, text, size, color, anchor="mm", bold=False):
    assert all(ch.isdigit() for ch in text), "images carry digits only"
    f = font(size * c.ss, bold)
    c.draw.text((x * c.ss, y * c.ss), text, font=f, fill=rgb(color), anchor=anchor)


# --------------------------------------------------------------------------
# 2. locator map
# --------------------------------------------------------------------------
MAP_W, MAP_H = 1394, 945
MAP_SCALE = 400.0            # pixels per degree of latitude
MAP_CLON, MAP_CLAT = 106.0, 21.62
MAP_KX = math.cos(math.radians(21.7))


def proj(lon, lat):
    return (MAP_W / 2 + (lon - MAP_CLON) * MAP_SCALE * MAP_KX,
            MAP_H / 2 - (lat - MAP_CLAT) * MAP_SCALE)


def projl(pts):
    return [proj(lon, lat) for lon, lat in pts]


# (lon, lat), rough and simplified
CHINA_BORDER = [
    (107.97, 21.53), (107.80, 21.60), (107.55, 21.65), (107.38, 21.70), (107.30, 21.80),
    (107.10, 21.92), (106.95, 21.95), (106.78, 22.05), (106.72, 22.25), (106.62, 22.40),
    (106.55, 22.50), (106.65, 22.70), (106.72, 22.85), (106.50, 22.92), (106.25, 22.95),
    (106.00, 23.00), (105.85, 22.95), (105.60, 23.10), (105.45, 23.25), (105.32, 23.38),
    (105.15, 23.25), (104.95, 23.10), (104.80, 22.90), (104.65, 22.80), (104.40, 22.72),
    (104.25, 22.80), (104.05, 22.75), (103.97, 22.52), (103.80, 22.60), (103.60, 22.70),
    (103.45, 22.80), (103.20, 22.65), (102.90, 22.55), (102.50, 22.75), (102.14, 22.40),
]
LAOS_BORDER = [
    (102.14, 22.40), (102.40, 22.05), (102.65, 21.70), (102.88, 21.40), (103.05, 21.05),
    (103.25, 20.85), (103.60, 20.75), (104.10, 20.85), (104.40, 20.70), (104.60, 20.65),
    (104.45, 20.40), (104.70, 20.20), (104.90, 20.00), (104.60, 19.70), (104.20, 19.40),
    (104.00, 19.20), (104.60, 18.70),
]
COAST = [  # south to north
    (105.75, 18.70), (105.80, 19.00), (105.78, 19.30), (105.85, 19.60), (105.92, 19.80),
    (106.05, 20.00), (106.15, 20.10), (106.45, 20.22), (106.58, 20.30), (106.62, 20.45),
    (106.68, 20.62), (106.80, 20.70), (106.85, 20.85), (107.05, 20.95), (107.20, 20.99),
    (107.35, 21.05), (107.42, 21.20), (107.60, 21.30), (107.80, 21.42), (107.97, 21.53),
]
CHINA_COAST = [(107.97, 21.53), (108.15, 21.58), (108.30, 21.63), (108.60, 21.66)]
ISLANDS = [  # (lon, lat, rx deg, ry deg)
    (107.03, 20.80, 0.09, 0.045), (107.45, 21.08, 0.07, 0.035), (107.62, 21.22, 0.05, 0.025),
]
SITES = [  # province "seeds" for the stylised subdivision; first is Thai Nguyen
    ("thai_nguyen", 105.84, 21.62), ("ha_giang", 104.98, 22.75), ("cao_bang", 106.10, 22.75),
    ("lao_cai", 104.10, 22.30), ("lai_chau", 103.20, 22.30), ("dien_bien", 103.00, 21.60),
    ("son_la", 104.00, 21.20), ("yen_bai", 104.50, 21.70), ("tuyen_quang", 105.25, 22.05),
    ("bac_kan", 105.85, 22.25), ("lang_son", 106.65, 21.85), ("phu_tho", 105.10, 21.30),
    ("vinh_phuc", 105.55, 21.37), ("ha_noi", 105.70, 20.96), ("bac_giang", 106.40, 21.38),
    ("bac_ninh", 106.08, 21.13), ("quang_ninh", 107.25, 21.22), ("quang_ninh_e", 107.62, 21.45),
    ("hai_duong", 106.35, 20.93), ("hung_yen", 106.05, 20.80), ("hai_phong", 106.65, 20.82),
    ("hoa_binh", 105.30, 20.70), ("ha_nam", 105.95, 20.55), ("thai_binh", 106.38, 20.50),
    ("nam_dinh", 106.20, 20.25), ("ninh_binh", 105.85, 20.20), ("thanh_hoa", 105.40, 19.95),
    ("nghe_an", 104.90, 19.20),
]
RIVERS = [  # (width px, [(lon, lat), ...]) upstream to downstream
    (4.0, [(103.70, 22.62), (103.97, 22.50), (104.25, 22.20), (104.60, 21.95), (104.88, 21.72),
           (105.15, 21.50), (105.43, 21.30), (105.62, 21.15), (105.86, 21.03), (105.95, 20.85),
           (106.05, 20.65), (106.30, 20.45), (106.58, 20.30)]),                      # Red
    (3.4, [(103.60, 21.60), (104.00, 21.28), (104.50, 21.05), (104.95, 20.92), (105.25, 20.86),
           (105.36, 21.00), (105.40, 21.28)]),                                        # Da
    (3.0, [(104.98, 22.82), (105.05, 22.50), (105.15, 22.10), (105.21, 21.82), (105.30, 21.55),
           (105.42, 21.32)]),                                                         # Lo
    (3.0, [(105.93, 22.28), (105.96, 22.05), (105.90, 21.86), (105.90, 21.72), (105.86, 21.59),
           (105.92, 21.45), (106.02, 21.30), (106.15, 21.18), (106.30, 21.11)]),        # Cau
    (2.2, [(105.72, 21.60), (105.78, 21.48), (105.85, 21.38), (105.93, 21.30),
           (106.02, 21.30)]),                                                        # Cong
    (3.2, [(106.30, 21.11), (106.40, 20.95), (106.55, 20.80), (106.70, 20.66)]),        # Thai Binh
    (2.6, [(105.90, 21.07), (106.05, 21.08), (106.20, 21.10), (106.30, 21.11)]),        # Duong
    (2.4, [(106.60, 21.65), (106.40, 21.45), (106.20, 21.28), (106.30, 21.11)]),        # Thuong
    (2.2, [(106.05, 22.95), (105.90, 22.60), (105.60, 22.35), (105.35, 22.15),
           (105.22, 21.95)]),                                                        # Gam
]
LAKES = [  # (lon, lat, rx deg, ry deg, angle deg)
    (105.72, 21.61, 0.045, 0.028, 20),      # Nui Coc
    (104.98, 21.85, 0.11, 0.025, -40),      # Thac Ba
    (105.00, 20.92, 0.16, 0.022, 15),       # Hoa Binh reservoir
]
HANOI = (105.85, 21.03)
THAINGUYEN = (105.845, 21.59)
NOIBAI = (105.765, 21.22)
EXPRESSWAY = [HANOI, (105.93, 21.10), (105.975, 21.25), (105.955, 21.42), (105.90, 21.53),
              THAINGUYEN]
QL3 = [HANOI, (105.835, 21.14), (105.84, 21.28), (105.85, 21.42), THAINGUYEN, (105.80, 21.75),
       (105.77, 21.88), (105.83, 22.15), (105.95, 22.40), (106.10, 22.55), (106.26, 22.67)]
RAILWAY = [HANOI, (105.875, 21.13), (105.90, 21.28), (105.895, 21.42), (105.87, 21.52),
           THAINGUYEN]


def smooth_noise(shape, seed, comps):
    """Smooth 2-D field: a sum of oblique sine waves with seeded phases."""
    h, w = shape
    rng = np.random.RandomState(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    f = np.zeros((h, w), np.float32)
    for amp, wl in comps:
        a = rng.uniform(0, np.pi)
        ph = rng.uniform(0, 2 * np.pi)
        f += amp * np.sin((xx * math.cos(a) + yy * math.sin(a)) * (2 * np.pi / wl) + ph)
    return f


def polygon_mask(size, pts, ss):
    m = Image.new("L", size, 0)
    ImageDraw.Draw(m).polygon([(x * ss, y * ss) for x, y in pts], fill=255)
    return m


def plane_icon(c, x, y, size, color, angle_deg=45):
    """Top view of an airliner drawn from polygons, nose towards angle."""
    parts = [
        [(0, -0.50), (0.07, -0.40), (0.075, 0.38), (0.03, 0.50), (-0.03, 0.50), (-0.075, 0.38),
         (-0.07, -0.40)],                                             # fuselage
        [(0.06, -0.08), (0.50, 0.14), (0.50, 0.22), (0.06, 0.10)],   # right wing
        [(-0.06, -0.08), (-0.50, 0.14), (-0.50, 0.22), (-0.06, 0.10)],
        [(0.04, 0.34), (0.22, 0.46), (0.22, 0.51), (0.04, 0.46)],    # tailplane
        [(-0.04, 0.34), (-0.22, 0.46), (-0.22, 0.51), (-0.04, 0.46)],
    ]
    a = math.radians(angle_deg)
    ca, sa = math.cos(a), math.sin(a)
    for part in parts:
        pts = [(x + size * (px * ca - py * sa), y + size * (px * sa + py * ca)) for px, py in part]
        c.polygon(pts, color)


def star(c, x, y, r, color, inner=0.42, rot=-90):
    pts = []
    for k in range(10):
        rr = r if k % 2 == 0 else r * inner
        a = math.radians(rot + k * 36)
        pts.append((x + rr * math.cos(a), y + rr * math.sin(a)))
    c.polygon(pts, color)


def draw_map():
    W, H, ss = MAP_W, MAP_H, 3
    c = Canvas(W, H, ss=ss, bg="#e8e4d8")            # neighbouring countries
    size = (c.W, c.H)

    vn_poly = projl(COAST + CHINA_BORDER[1:] + LAOS_BORDER[1:])
    sea_poly = projl(COAST + CHINA_COAST[1:] + [(108.9, 21.66), (108.9, 18.3), (105.6, 18.3)])
    vn = np.asarray(polygon_mask(size, vn_poly, ss)) > 127
    sea = np.asarray(polygon_mask(size, sea_poly, ss)) > 127
    sea &= ~vn

    # sea, lighter near the coast
    land = Image.fromarray(((~sea) * 255).astype(np.uint8))
    near = np.asarray(land.filter(ImageFilter.GaussianBlur(28 * ss)), np.float32) / 255.0
    sea_col = ramp([(0, "#b8d9e6"), (0.5, "#cbe5ee"), (1.0, "#e1f1f5")], np.clip(near * 1.6, 0, 1))
    base = np.asarray(c.img).astype(np.float32)
    base[sea, :3] = sea_col[sea]

    # stylised provinces: nearest seed in a gently warped plane
    hh, ww = c.H, c.W
    yy, xx = np.mgrid[0:hh, 0:ww].astype(np.float32)
    wx = smooth_noise((hh, ww), 3, [(9 * ss, 260 * ss), (6 * ss, 150 * ss), (2.5 * ss, 55 * ss)])
    wy = smooth_noise((hh, ww), 4, [(9 * ss, 240 * ss), (6 * ss, 140 * ss), (2.5 * ss, 50 * ss)])
    px, py = xx + wx, yy + wy
    del xx, yy, wx, wy
    best = np.full((hh, ww), np.inf, np.float32)
    lab = np.zeros((hh, ww), np.int16)
    for i, (_, lon, lat) in enumerate(SITES):
        sx, sy = proj(lon, lat)
        d = (px - sx * ss) ** 2 + (py - sy * ss) ** 2
        upd = d < best
        best[upd] = d[upd]
        lab[upd] = i
    del px, py, best, d
    lab[~vn] = -1
    # adjacency and a greedy colouring with soft tints
    adj = {i: set() for i in range(len(SITES))}
    for a_, b_ in ((lab[:, 1:], lab[:, :-1]), (lab[1:, :], lab[:-1, :])):
        m = (a_ != b_) & (a_ >= 0) & (b_ >= 0)
        for p_, q_ in set(zip(a_[m].tolist(), b_[m].tolist())):
            adj[p_].add(q_)
            adj[q_].add(p_)
    tints = ["#f4f2e6", "#e6efdc", "#eef3e2", "#e2ecdf", "#f0efdc"]
    col_of = {}
    for i in range(len(SITES)):
        used = {col_of[j] for j in adj[i] if j in col_of}
        free = [k for k in range(len(tints)) if k not in used]
        col_of[i] = free[0] if free else i % len(tints)
    pal = np.array([rgb(tints[col_of[i]]) for i in range(len(SITES))], np.float32)
    base[vn, :3] = pal[lab[vn]]
    TN = 0
    tn = lab == TN
    base[tn, :3] = rgb("#f2ae45")
    # province boundaries (white), drawn a little inside the land
    edge = np.zeros((hh, ww), bool)
    e1 = (lab[:, 1:] != lab[:, :-1]) & (lab[:, 1:] >= 0) & (lab[:, :-1] >= 0)
    e2 = (lab[1:, :] != lab[:-1, :]) & (lab[1:, :] >= 0) & (lab[:-1, :] >= 0)
    edge[:, 1:] |= e1
    edge[1:, :] |= e2
    edge_im = Image.fromarray((edge * 255).astype(np.uint8)).filter(ImageFilter.MaxFilter(5))
    edge_a = np.asarray(edge_im.filter(ImageFilter.GaussianBlur(0.6)), np.float32)[..., None] / 255.0
    base[..., :3] = base[..., :3] * (1 - edge_a) + np.array(rgb("#ffffff"), np.float32) * edge_a
    c.img = Image.fromarray(np.clip(base + 0.5, 0, 255).astype(np.uint8), "RGBA")
    c.draw = ImageDraw.Draw(c.img)
    del base, edge, edge_im, edge_a, e1, e2

    # Thai Nguyen: soft drop shadow, fill, darker outline
    tn_im = Image.fromarray((tn * 255).astype(np.uint8))
    sh = tn_im.filter(ImageFilter.GaussianBlur(7 * ss))
    sh = Image.fromarray(np.roll(np.roll(np.asarray(sh), 5 * ss, 0), 4 * ss, 1))
    sh_arr = np.zeros((hh, ww, 4), np.float32)
    sh_arr[..., :3] = rgb("#6b4a1a")
    sh_arr[..., 3] = np.asarray(sh, np.float32) * 0.45 * (~tn)
    c.paste_rgba(sh_arr, 0, 0)
    del sh_arr
    fill = np.zeros((hh, ww, 4), np.float32)
    fill[..., :3] = rgb("#f2ae45")
    fill[..., 3] = np.asarray(tn_im.filter(ImageFilter.GaussianBlur(0.7)), np.float32)
    c.paste_rgba(fill, 0, 0)
    ring = np.asarray(tn_im.filter(ImageFilter.MaxFilter(3)), np.int16) - \
        np.asarray(tn_im.filter(ImageFilter.MinFilter(9)), np.int16)
    ring_im = Image.fromarray(np.clip(ring, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.8))
    fill[..., :3] = rgb("#c8731d")
    fill[..., 3] = np.asarray(ring_im, np.float32)
    c.paste_rgba(fill, 0, 0)
    del fill, ring

    # offshore islands (Cat Ba, Van Don ...) and a scatter of islets
    for lon, lat, rx, ry in ISLANDS:
        x, y = proj(lon, lat)
        c.ellipse(x, y, rx * MAP_SCALE * MAP_KX, ry * MAP_SCALE, "#e6efdc", outline="#a9cfdc", width=1.2)
    rng = random.Random(9)
    for _ in range(34):
        lon = rng.uniform(107.0, 107.75)
        lat = rng.uniform(20.72, 21.15)
        x, y = proj(lon, lat)
        if sea[int(y * ss), int(x * ss)] and lat < 20.95 + (lon - 107.0) * 0.55:
            c.circle(x, y, rng.uniform(1.6, 3.4), "#dfeadb", outline="#a9cfdc", width=0.8)

    # graticule over the sea only (1 degree)
    gl = c.layer()
    for lon in range(104, 109):
        gl.polyline(projl([(lon, 20.0), (lon, 23.5)]), "#ffffff", 1.4, caps=False)
    for lat in range(21, 24):
        gl.polyline(projl([(103.0, lat), (109.0, lat)]), "#ffffff", 1.4, caps=False)
    clip = c.layer()
    clip.img.putalpha(Image.fromarray((sea * 255).astype(np.uint8)))
    clip_to(gl, clip)
    c.merge(gl, 0.55)
    del clip, gl

    # coastline and the national border
    c.polyline(projl(COAST[3:]), "#8fbfd0", 1.6)
    c.polyline(projl(CHINA_COAST), "#8fbfd0", 1.6)
    border = projl(CHINA_BORDER + LAOS_BORDER[1:])
    c.polyline(border, "#c9c3b0", 6.0)
    c.polyline(border, "#8d978f", 2.2)

    # lakes and rivers
    for lon, lat, rx, ry, ang in LAKES:
        x, y = proj(lon, lat)
        a = math.radians(ang)
        pts = []
        for k in range(48):
            t = 2 * math.pi * k / 48
            wob = 1 + 0.12 * math.sin(3 * t + lon)
            ex, ey = rx * MAP_SCALE * MAP_KX * math.cos(t) * wob, ry * MAP_SCALE * math.sin(t) * wob
            pts.append((x + ex * math.cos(a) - ey * math.sin(a), y - (ex * math.sin(a) + ey * math.cos(a))))
        c.polygon(pts, "#7dbad6")
    for width, pts in RIVERS:
        path = catmull(projl(pts), n=12)
        c.polyline(path, "#6aafd0", width)

    # transport: railway (dashed), national road 3, expressway
    rail = catmull(projl(RAILWAY), n=14)
    c.polyline(rail, "#ffffff", 7.5)
    c.polyline(rail, "#37474f", 4.5)
    c.dashed(rail, "#ffffff", 2.4, 9, 9)
    ql3 = catmull(projl(QL3), n=14)
    c.polyline(ql3, "#ffffff", 8.5)
    c.polyline(ql3, "#1f5f73", 4.8)
    ex = catmull(projl(EXPRESSWAY), n=14)
    c.polyline(ex, "#ffffff", 14)
    c.polyline(ex, "#c8401c", 9.5)
    c.polyline(ex, "#f08a4b", 2.6)

    # Noi Bai airport
    x, y = proj(*NOIBAI)
    c.circle(x + 1.5, y + 2, 19, "#9aa6a0")
    c.circle(x, y, 19, "#ffffff", outline="#123a52", width=2.4)
    plane_icon(c, x, y, 27, "#123a52", angle_deg=30)
    # Thai Nguyen city
    x, y = proj(*THAINGUYEN)
    c.circle(x, y, 14, "#ffffff", outline="#123a52", width=4.5)
    c.circle(x, y, 5, "#123a52")
    # Ha Noi, the capital: a red star on a white disc
    x, y = proj(*HANOI)
    c.circle(x + 1.5, y + 2, 21, "#9aa6a0")
    c.circle(x, y, 21, "#ffffff", outline="#c62828", width=2.2)
    star(c, x, y + 1, 16, "#c62828")

    # north arrow (no letter) in the open sea
    nx, ny = W - 70, H - 120
    c.circle(nx, ny + 8, 34, "#ffffff")
    c.polygon([(nx, ny - 32), (nx - 14, ny + 26), (nx, ny + 16)], "#123a52")
    c.polygon([(nx, ny - 32), (nx + 14, ny + 26), (nx, ny + 16)], "#5f8a9c")
    # thin frame
    c.draw.rectangle([0, 0, c.W - 1, c.H - 1], outline=rgb("#9fb3b8"), width=2 * ss)
    return c.final()


# --------------------------------------------------------------------------
# 3. FDI chart
# --------------------------------------------------------------------------
FDI = [(2014, 3.2), (2015, 3.9), (2016, 6.9), (2017, 7.3), (2018, 7.8)]  # illustrative


def draw_chart():
    W, H = 1394, 709
    c = Canvas(W, H, ss=2, bg="#ffffff")
    left, right, top, bottom = 120, W - 40, 40, H - 95
    ymax = 8.0
    ty = lambda v: bottom - (bottom - top) * v / ymax
    for v in (0, 2, 4, 6, 8):
        y = ty(v)
        c.polyline([(left, y), (right, y)], "#dfe6e9" if v else "#5b6b73", 2.0 if v else 3.0,
                   caps=False)
        digits(c, left - 22, y, str(v), 38, "#4a5a62", anchor="rm")
    n = len(FDI)
    slot = (right - left) / n
    bw = slot * 0.56
    for i, (year, val) in enumerate(FDI):
        cx = left + slot * (i + 0.5)
        x0, x1 = cx - bw / 2, cx + bw / 2
        y0 = ty(val)
        last = i == n - 1
        main_col = "#e8892e" if last else "#1f7a8c"
        side_col = "#d2741d" if last else "#186878"
        # bar with rounded top; its right third a shade darker for depth
        bar = c.layer()
        bar.rrect(x0, y0, x1, bottom + 20, 12, main_col)
        bar.draw.rectangle([0, (bottom) * c.ss, c.W, c.H], fill=(0, 0, 0, 0))
        side = c.layer()
        side.draw.rectangle([(x0 + bw * 0.66) * c.ss, 0, x1 * c.ss, c.H], fill=rgb(side_col))
        clip_to(side, bar)
        c.merge(bar)
        c.merge(side)
        digits(c, cx, bottom + 45, str(year), 40, "#3d4d55")
    c.polyline([(left, bottom), (right, bottom)], "#5b6b73", 3.0, caps=False)
    return c.final()


# --------------------------------------------------------------------------
# 4. industrial parks (schematic)
# --------------------------------------------------------------------------
def factory_icon(c, x, y, s, color):
    """Small factory: saw-tooth roof, chimney; (x, y) is the bottom centre."""
    w, h = s * 1.6, s * 0.55
    x0 = x - w / 2
    pts = [(x0, y), (x0, y - h)]
    teeth = 3
    tw = w * 0.72 / teeth
    for k in range(teeth):
        pts += [(x0 + tw * k, y - h), (x0 + tw * (k + 1), y - h - s * 0.38), (x0 + tw * (k + 1), y - h)]
    pts += [(x0 + w * 0.78, y - h), (x0 + w * 0.78, y - h - s * 0.95), (x0 + w * 0.92, y - h - s * 0.95),
            (x0 + w * 0.92, y - h), (x0 + w, y - h), (x0 + w, y)]
    c.polygon(pts, color)


def draw_parks():
    W, H = 1394, 827
    c = Canvas(W, H, ss=2, bg="#eef2e3")
    # soft terrain: the Tam Dao hills on the west, paddy patches on the east
    rng = random.Random(21)
    for k, (cx, cy, rx, ry) in enumerate([(40, 420, 260, 420), (120, 760, 230, 160), (1330, 90, 200, 140)]):
        for j, col in enumerate(["#e2ebd4", "#d7e5c8", "#cbdebb"]):
            f = 1 - j * 0.28
            pts = []
            for t in np.linspace(0, 2 * np.pi, 80, endpoint=False):
                wob = 1 + 0.08 * math.sin(3 * t + k) + 0.05 * math.sin(5 * t + 2 * k)
                pts.append((cx + rx * f * wob * math.cos(t), cy + ry * f * wob * math.sin(t)))
            c.polygon(pts, col)
    for _ in range(26):
        x, y = rng.uniform(900, 1380), rng.uniform(300, 800)
        w, h = rng.uniform(40, 90), rng.uniform(24, 50)
        c.rrect(x, y, x + w, y + h, 6, "#e5ecd6")

    # Nui Coc lake with islets
    lake = []
    for t in np.linspace(0, 2 * np.pi, 90, endpoint=False):
        wob = 1 + 0.13 * math.sin(3 * t + 1) + 0.07 * math.sin(7 * t)
        lake.append((175 + 120 * wob * math.cos(t), 120 + 62 * wob * math.sin(t)))
    c.polygon(lake, "#9fd0dc")
    for (x, y, r) in [(150, 110, 12), (205, 135, 8), (190, 95, 6)]:
        c.ellipse(x, y, r * 1.5, r, "#bcd9a8")

    # rivers: Cong (from the lake) and Cau (past the city), joining in the south-east
    cong = catmull([(260, 150), (380, 300), (520, 420), (700, 560), (900, 650), (1120, 700),
                    (1290, 660)], n=20)
    cau = catmull([(720, -20), (690, 120), (760, 230), (920, 320), (1150, 410), (1290, 520),
                   (1290, 660), (1330, 760), (1400, 840)], n=20)
    c.polyline(cong, "#7fbfd8", 10)
    c.polyline(cau, "#7fbfd8", 15)

    # national road 3 (thin) and the expressway spine (bold)
    ql3 = catmull([(540, 120), (505, 300), (515, 480), (545, 660), (560, 850)], n=20)
    c.polyline(ql3, "#ffffff", 12)
    c.polyline(ql3, "#1f5f73", 6)
    spine = catmull([(590, 150), (610, 300), (640, 460), (670, 620), (690, 790)], n=20)
    c.polyline(spine, "#ffffff", 26)
    c.polyline(spine, "#c8401c", 17)
    c.polyline(spine, "#f08a4b", 4)
    # arrowhead at the southern end: onward to Ha Noi and Noi Bai
    c.polygon([(690, 822), (660, 772), (720, 772)], "#c8401c")

    # city
    cx, cy = 575, 120
    c.circle(cx + 4, cy + 6, 58, "#d3dccb")
    c.circle(cx, cy, 58, "#ffffff", outline="#123a52", width=5)
    c.circle(cx, cy, 36, "#f2ae45")
    c.circle(cx, cy, 14, "#123a52")

    # six industrial parks along the corridor, numbered north to south
    parks = [  # marker centre, point on the spine it connects to
        ((330, 250), (604, 250)), ((880, 190), (600, 190)),
        ((290, 480), (648, 500)), ((930, 430), (637, 440)),
        ((360, 690), (676, 680)), ((990, 640), (668, 610)),
    ]
    mw, mh = 190, 112
    for k, ((mx, my), (sx, sy)) in enumerate(parks):
        # connector road
        c.polyline([(mx, my), (sx, sy)], "#ffffff", 10)
        c.polyline([(mx, my), (sx, sy)], "#8a9aa0", 4.5)
        c.circle(sx, sy, 11, "#ffffff", outline="#c8401c", width=4)
    for k, ((mx, my), _) in enumerate(parks):
        x0, y0 = mx - mw / 2, my - mh / 2
        c.rrect(x0 + 5, y0 + 7, x0 + mw + 5, y0 + mh + 7, 22, "#c9d3c4")
        c.rrect(x0, y0, x0 + mw, y0 + mh, 22, "#1f7a8c")
        c.rrect(x0 + 8, y0 + 8, x0 + mw - 8, y0 + mh - 8, 16, "#268a9c")
        factory_icon(c, mx + 12, my + 30, 58, "#ffffff")
        if PARK_NUMBERS:
            bx, by = x0 + 10, y0 + 10
            c.circle(bx, by, 26, "#ffffff")
            c.circle(bx, by, 21, "#f2ae45")
            digits(c, bx, by + 1, str(k + 1), 30, "#123a52", bold=True)
    return c.final()


# --------------------------------------------------------------------------
# 5. tea hills close-up
# --------------------------------------------------------------------------
def draw_tea_hills():
    W, H = 1394, 827
    c = Canvas(W, H, ss=2)
    xs = np.linspace(-10, W + 10, 600)
    SUN = (W * 0.22, H * 0.16)
    c.vgradient(0, H * 0.5, [(0, "#7fb6c8"), (0.45, "#cfe2d8"), (0.8, "#f7e3b4"), (1, "#fbe9c2")])
    c.glow(*SUN, 520, "#fff0c8", 0.7, power=2.0)
    c.circle(*SUN, 46, "#fff8e6")
    # morning rays
    rays = c.layer()
    for k, ang in enumerate([8, 18, 27, 38, 50, 63]):
        a1, a2 = math.radians(ang), math.radians(ang + 3.5 + (k % 2) * 2)
        L = 1700
        rays.polygon([SUN, (SUN[0] + L * math.cos(a1), SUN[1] + L * math.sin(a1)),
                      (SUN[0] + L * math.cos(a2), SUN[1] + L * math.sin(a2))], "#fff6dc")
    c.merge(rays, 0.16)

    peaks(c, 5, -100, W + 100, H * 0.40, 9, (70, 140), (1.8, 3.0), "#a8c7c8", "#9bbcbe")
    c.band(H * 0.30, H * 0.41, "#f1f0dc", 0.0, 0.8, power=1.3)
    far = profile(xs, 6, H * 0.43, [(20, 900, "s"), (10, 300, "s"), (4, 110, "s")])
    fill_under(c, xs, far, "#8fb79a")
    c.band(H * 0.38, H * 0.45, "#eef0dc", 0.0, 0.55)

    hazy = dict(base="#5f9463", fill="#79ab6e", bush="#8aba78", bush2="#84b573",
                light="#b4d79a", tree="#4a7e59", tree_light="#6d9f72")
    mid = dict(base="#3f7a48", fill="#5a9a4d", bush="#6cab57", bush2="#66a553",
               light="#a2d07a", tree="#2f6444", tree_light="#528f58")
    near = dict(base="#255b34", fill="#3f8639", bush="#55993f", bush2="#4f923b",
                light="#8ec862", tree="#234f34", tree_light="#417c47")
    tea_dome(c, 1120, H * 0.50, 360, 110, 0.22, 12, hazy, seed=81, shape=1.1,
             trees=[(60, 2, 22)])
    tea_dome(c, 380, H * 0.52, 420, 120, 0.22, 12, hazy, seed=82, shape=1.1)
    c.band(H * 0.40, H * 0.56, "#f4f1dc", 0.0, 0.25)
    tea_dome(c, 820, H * 0.66, 520, 170, 0.23, 15, mid, seed=83, shape=1.1,
             pickers={7: [(60, 30, "#c8553d")], 9: [(112, 32, "#2f78a8")]},
             trees=[(140, 3, 30)])
    tea_dome(c, 150, H * 0.76, 560, 200, 0.23, 15, mid, seed=84, shape=1.1,
             trees=[(50, 2, 34), (62, 3, 28)])
    tea_dome(c, 1250, H * 0.86, 620, 230, 0.22, 15, near, seed=85, shape=1.1,
             pickers={6: [(132, 50, "#e39a2f")], 9: [(100, 54, "#2f78a8")]})
    tea_dome(c, 420, H * 1.12, 760, 300, 0.22, 14, near, seed=86, shape=1.1,
             pickers={4: [(66, 56, "#f2f2ee")]})
    c.glow(*SUN, 1500, "#ffe6b0", 0.12, power=1.6)
    return c.final()


# --------------------------------------------------------------------------
# 6. Nui Coc lake
# --------------------------------------------------------------------------
def boat(c, x, y, s):
    """Small wooden boat with a rower in a conical hat; (x, y) = waterline centre."""
    hull = catmull([(x - s, y - s * 0.22), (x - s * 0.55, y + s * 0.10), (x + s * 0.5, y + s * 0.10),
                    (x + s * 1.02, y - s * 0.26)], n=10)
    top = [(x + s * 1.02, y - s * 0.26), (x + s * 0.5, y - s * 0.08), (x - s * 0.55, y - s * 0.08),
           (x - s, y - s * 0.22)]
    c.polygon(hull + top[1:], "#6b4526")
    c.polygon([(x - s * 0.98, y - s * 0.21), (x + s, y - s * 0.25), (x + s * 0.5, y - s * 0.12),
               (x - s * 0.55, y - s * 0.12)], "#8c5d33")
    # rower
    c.ellipse(x - s * 0.1, y - s * 0.28, s * 0.14, s * 0.2, "#2f78a8")
    c.polyline([(x + s * 0.02, y - s * 0.30), (x + s * 0.55, y + s * 0.25)], "#4a3320", s * 0.045)
    hat(c, x - s * 0.1, y - s * 0.42, s * 0.42)


def draw_lake():
    W, H = 1394, 709
    c = Canvas(W, H, ss=2)
    xs = np.linspace(-10, W + 10, 600)
    Yw = H * 0.50
    SUN = (W * 0.30, H * 0.30)
    c.vgradient(0, Yw, [(0, "#5e9fb8"), (0.5, "#a9cfd2"), (0.85, "#eee6c4"), (1, "#f7e6bb")])
    c.glow(*SUN, 420, "#fff2cf", 0.6, power=2.0)
    c.circle(*SUN, 36, "#fff8e6")
    peaks(c, 31, -100, W + 100, Yw + 10, 10, (80, 170), (1.6, 2.8), "#a7c3ca", "#9ab8c0")
    c.band(Yw - 70, Yw + 5, "#eef0e2", 0.0, 0.75, power=1.3)
    peaks(c, 32, -150, W + 150, Yw + 10, 7, (70, 130), (2.0, 3.4), "#6d9a9a", "#5f8d8e")
    c.band(Yw - 45, Yw + 5, "#e4ece0", 0.0, 0.6, power=1.4)
    shore = profile(xs, 33, Yw - 4, [(14, 380, "s"), (9, 150, "s"), (4, 55, "s")])
    shore = np.minimum(shore, Yw - 2)
    fill_under(c, xs, shore, "#467a62", bottom=Yw + 3)

    ref_src = Canvas(W, H, ss=2)
    ref_src.img.paste(c.img.crop((0, 0, c.W, int(Yw * 2))), (0, 0))
    c.vgradient(Yw, H, [(0, "#bfdcd6"), (0.3, "#8cc2c4"), (1, "#2b7485")])
    reflect(c, ref_src, Yw, opacity=0.5, squash=0.8, tint="#5a9fa8", tint_amt=0.3,
            ripple=2.5, seed=34, fade=0.15)
    st = c.layer()
    rng = random.Random(35)
    for _ in range(34):
        y = rng.uniform(Yw + 8, H - 5)
        depth = (y - Yw) / (H - Yw)
        x = rng.uniform(-50, W)
        ln = rng.uniform(30, 110) * (0.5 + depth)
        th = 1.5 + 2.5 * depth
        st.rrect(x, y, x + ln, y + th, th / 2, "#eef7f2")
    c.merge(st, 0.35)
    sp = c.layer()
    rng = random.Random(36)
    for k in range(16):
        y = Yw + 8 + k * 9 * (1 + k * 0.1)
        w = rng.uniform(20, 50) + k * 8
        x = SUN[0] + rng.uniform(-15, 15)
        sp.rrect(x - w / 2, y, x + w / 2, y + 2.5 + k * 0.3, 2, "#fff3d6")
    c.merge(sp, 0.45)

    isl = [(1050, Yw + 26, 140, 56), (250, Yw + 40, 160, 70), (640, Yw + 54, 85, 42),
           (880, Yw + 122, 180, 118), (420, Yw + 178, 125, 84)]
    for k, (cx, base, hw, h) in enumerate(isl):
        L = c.layer()
        depth = min(1.0, (base - Yw) / 150.0)
        body = mix("#5a8c78", "#2c6649", depth)
        light = mix("#7fa98a", "#5a975f", depth)
        island(L, cx, base, hw, h, 300 + k, body, light, dark=mix(body, "#1f4f3b", 0.45),
               shore=mix("#cfc59a", "#d9c996", 0.5), bumps=7 + k)
        reflect(c, L, base, opacity=0.55, squash=0.85, tint="#2b7485", tint_amt=0.35,
                ripple=2.0, seed=400 + k, fade=0.1)
        c.merge(L)

    # the boat with its wake
    bx, by = 1120, H * 0.82
    wk = c.layer()
    for k in range(4):
        x0 = bx - 95 - k * 55
        wk.rrect(x0 - 60 - k * 12, by + 2 + k * 7, x0, by + 5.5 + k * 7, 2, "#e8f4f0")
    c.merge(wk, 0.5)
    L = c.layer()
    boat(L, bx, by, 88)
    reflect(c, L, by + 5, opacity=0.35, squash=0.7, tint="#2b7485", tint_amt=0.4,
            ripple=1.5, seed=41, fade=0.2, gaps=True)
    c.merge(L)

    # a leafy bank framing the lower-left corner
    bank = c.layer()
    rng = random.Random(42)
    crowns = [(-30, H - 190, 95), (60, H - 110, 90), (-20, H - 40, 110), (150, H - 20, 95),
              (250, H + 30, 90), (90, H + 40, 110)]
    for (x, y, r) in crowns:
        crown(bank, x, y, r, "#1f4f3b", "#3a7653", off=0.22)
    c.merge(bank)
    return c.final()


JOBS = [
    ("cover.png", draw_cover, (1819, 2551)),
    ("map.png", draw_map, (1394, 945)),
    ("fdi-chart.png", draw_chart, (1394, 709)),
    ("industrial-parks.png", draw_parks, (1394, 827)),
    ("tea-hills.png", draw_tea_hills, (1394, 827)),
    ("lake.png", draw_lake, (1394, 709)),
]


def main(argv):
    which = set(argv[1:])
    for name, fn, size in JOBS:
        if which and name not in which and name.split(".")[0] not in which:
            continue
        img = fn()
        assert img.size == size, (name, img.size, size)
        save(img, name)


if __name__ == "__main__":
    main(sys.argv)
