//! Reading a QR code out of one camera frame in pure Rust, with no browser, so the same code
//! runs in wasm on the verifier page and natively in `tests/qr_frame.rs`.
//!
//! Why not `rqrr`'s own detector alone: like quirc, which it ports, it finds a large QR's
//! bottom-right alignment pattern by spiralling out from a guess for the first dark blob about
//! one module big. On versions 24–31 (the Claim 169 QRs) the guess lands among data modules,
//! so whether a frame reads depends on the exact pixel size of its modules: a still screen in
//! front of the camera gave the same unreadable frame forever. Here the three finder patterns
//! are found by their 1:1:3:1:1 runs (both ways), the grid size follows from their distance,
//! the alignment pattern is searched for by its whole 5×5 shape, and the modules are sampled
//! through the perspective those four points give; `rqrr` then only corrects and decodes the
//! sampled grid. Its own detector stays as the fallback.

/// Finds and decodes a QR code in a greyscale picture (one byte per pixel, row by row).
pub fn decode_luma(luma: &[u8], width: usize, height: usize) -> Option<String> {
    if width < 21 || height < 21 || luma.len() < width * height {
        return None;
    }
    let dark = binarize(luma, width, height);
    let picture = Bits {
        dark: &dark,
        width,
        height,
    };
    read_by_finders(&picture).or_else(|| rqrr_detector(&dark, width, height))
}

fn rqrr_detector(dark: &[bool], width: usize, height: usize) -> Option<String> {
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        if dark[y * width + x] { 0 } else { 255 }
    });
    image
        .detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
}

/// Dark or light per pixel: darker than 90 % of the mean of a window an eighth of the
/// picture wide around it (a screen's glare or a shadow moves the mean, not the answer).
fn binarize(luma: &[u8], width: usize, height: usize) -> Vec<bool> {
    let stride = width + 1;
    let mut integral = vec![0u64; stride * (height + 1)];
    for y in 0..height {
        let mut row = 0u64;
        for x in 0..width {
            row += u64::from(luma[y * width + x]);
            integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + row;
        }
    }
    let r = (width.max(height) / 16).max(8);
    let mut dark = vec![false; width * height];
    for y in 0..height {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(height));
        for x in 0..width {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(width));
            let sum = integral[y1 * stride + x1] + integral[y0 * stride + x0]
                - integral[y0 * stride + x1]
                - integral[y1 * stride + x0];
            let count = ((y1 - y0) * (x1 - x0)) as u64;
            dark[y * width + x] = u64::from(luma[y * width + x]) * count * 10 < sum * 9;
        }
    }
    dark
}

struct Bits<'a> {
    dark: &'a [bool],
    width: usize,
    height: usize,
}

impl Bits<'_> {
    fn at(&self, x: f64, y: f64) -> Option<bool> {
        if x < 0.0 || y < 0.0 {
            return None;
        }
        let (x, y) = (x as usize, y as usize);
        (x < self.width && y < self.height).then(|| self.dark[y * self.width + x])
    }

    /// Runs of alternating colour out from (x, y) along (dx, dy): the centre run, then the
    /// next two, each way; `None` past the picture or when a run is longer than `cap`.
    fn cross(
        &self,
        x: usize,
        y: usize,
        dx: isize,
        dy: isize,
        cap: usize,
    ) -> Option<([usize; 5], f64)> {
        let walk = |sign: isize| -> Option<[usize; 3]> {
            let mut runs = [0usize; 3];
            let (mut cx, mut cy) = (x as isize, y as isize);
            let mut stage = 0;
            let mut want = true;
            loop {
                if cx < 0 || cy < 0 || cx as usize >= self.width || cy as usize >= self.height {
                    return (stage == 2 && runs[2] > 0).then_some(runs);
                }
                let d = self.dark[cy as usize * self.width + cx as usize];
                if d != want {
                    stage += 1;
                    want = !want;
                    if stage == 3 {
                        return Some(runs);
                    }
                }
                runs[stage] += 1;
                if runs[stage] > cap {
                    return None;
                }
                cx += dx * sign;
                cy += dy * sign;
            }
        };
        if !self.dark[y * self.width + x] {
            return None;
        }
        let ahead = walk(1)?;
        let back = walk(-1)?;
        let centre = ahead[0] + back[0] - 1;
        let runs = [back[2], back[1], centre, ahead[1], ahead[2]];
        // Where the centre run's middle is, relative to (x, y), along the direction.
        let middle = (ahead[0] as f64 - back[0] as f64) / 2.0;
        Some((runs, middle))
    }
}

/// 1:1:3:1:1 within half a module each (one and a half for the middle).
fn finder_ratio(runs: &[usize; 5]) -> Option<f64> {
    let total: usize = runs.iter().sum();
    if total < 7 {
        return None;
    }
    let m = total as f64 / 7.0;
    let ok = runs.iter().enumerate().all(|(i, &n)| {
        let want = if i == 2 { 3.0 * m } else { m };
        let slack = if i == 2 { 1.5 * m } else { 0.6 * m };
        (n as f64 - want).abs() <= slack
    });
    ok.then_some(m)
}

#[derive(Debug, Clone, Copy)]
struct Finder {
    x: f64,
    y: f64,
    module: f64,
    seen: u32,
}

fn find_finders(p: &Bits<'_>) -> Vec<Finder> {
    let mut found: Vec<Finder> = Vec::new();
    let mut runs: Vec<(bool, usize, usize)> = Vec::new();
    for y in 0..p.height {
        runs.clear();
        let row = &p.dark[y * p.width..(y + 1) * p.width];
        let mut start = 0;
        for x in 1..=p.width {
            if x == p.width || row[x] != row[start] {
                runs.push((row[start], start, x - start));
                start = x;
            }
        }
        for w in runs.windows(5) {
            if !w[0].0 {
                continue;
            }
            let lens = [w[0].2, w[1].2, w[2].2, w[3].2, w[4].2];
            let Some(m) = finder_ratio(&lens) else {
                continue;
            };
            let cx = w[2].1 + w[2].2 / 2;
            let cap = (m * 5.0) as usize + 2;
            // Across: the same proportions down the column, then along the corrected row.
            let Some((vruns, vmid)) = p.cross(cx, y, 0, 1, cap) else {
                continue;
            };
            let Some(vm) = finder_ratio(&vruns) else {
                continue;
            };
            if (vm - m).abs() > 0.5 * m {
                continue;
            }
            let cy = (y as f64 + vmid).round().max(0.0) as usize;
            let Some((hruns, hmid)) = p.cross(cx, cy.min(p.height - 1), 1, 0, cap) else {
                continue;
            };
            let Some(hm) = finder_ratio(&hruns) else {
                continue;
            };
            let fx = cx as f64 + hmid + 0.5;
            let fy = y as f64 + vmid + 0.5;
            let module = (hm + vm) / 2.0;
            match found
                .iter_mut()
                .find(|f| (f.x - fx).hypot(f.y - fy) < 2.5 * f.module.max(module))
            {
                Some(f) => {
                    let n = f64::from(f.seen);
                    f.x = (f.x * n + fx) / (n + 1.0);
                    f.y = (f.y * n + fy) / (n + 1.0);
                    f.module = (f.module * n + module) / (n + 1.0);
                    f.seen += 1;
                }
                None => found.push(Finder {
                    x: fx,
                    y: fy,
                    module,
                    seen: 1,
                }),
            }
        }
    }
    found.retain(|f| f.seen >= 2);
    found.sort_by_key(|f| std::cmp::Reverse(f.seen));
    found.truncate(6);
    found
}

fn read_by_finders(p: &Bits<'_>) -> Option<String> {
    let finders = find_finders(p);
    for i in 0..finders.len() {
        for j in i + 1..finders.len() {
            for k in j + 1..finders.len() {
                if let Some(text) = read_triple(p, [finders[i], finders[j], finders[k]]) {
                    return Some(text);
                }
            }
        }
    }
    None
}

fn dist(a: Finder, b: Finder) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

/// Three finders as top-left, top-right, bottom-left: the corner is opposite the longest
/// side, and top-right is clockwise from bottom-left (image y points down).
fn read_triple(p: &Bits<'_>, f: [Finder; 3]) -> Option<String> {
    let modules = f.map(|f| f.module);
    let (lo, hi) = modules
        .iter()
        .fold((f64::MAX, 0.0f64), |(lo, hi), &m| (lo.min(m), hi.max(m)));
    if hi > lo * 1.5 {
        return None;
    }
    let sides = [dist(f[1], f[2]), dist(f[0], f[2]), dist(f[0], f[1])];
    let corner = (0..3).max_by(|&a, &b| sides[a].total_cmp(&sides[b]))?;
    let (b, mut a, mut c) = (f[corner], f[(corner + 1) % 3], f[(corner + 2) % 3]);
    let (ab, cb) = ((a.x - b.x, a.y - b.y), (c.x - b.x, c.y - b.y));
    let cross = ab.0 * cb.1 - ab.1 * cb.0;
    if cross < 0.0 {
        std::mem::swap(&mut a, &mut c);
    }
    let (la, lc) = (dist(a, b), dist(c, b));
    if la > lc * 1.3 || lc > la * 1.3 {
        return None;
    }
    let cos = (ab.0 * cb.0 + ab.1 * cb.1) / (la * lc);
    if cos.abs() > 0.3 {
        return None;
    }
    let module = (a.module + b.module + c.module) / 3.0;
    let estimate = ((la + lc) / 2.0 / module + 7.0 - 17.0) / 4.0;
    let version = estimate.round() as i64;
    [version, version - 1, version + 1]
        .into_iter()
        .filter(|v| (1..=40).contains(v))
        .find_map(|v| read_grid(p, [b, a, c], 17 + 4 * v as usize))
}

fn read_grid(p: &Bits<'_>, [b, a, c]: [Finder; 3], size: usize) -> Option<String> {
    let n = (size - 7) as f64;
    let affine = |u: f64, v: f64| {
        let (s, t) = ((u - 3.5) / n, (v - 3.5) / n);
        (
            b.x + s * (a.x - b.x) + t * (c.x - b.x),
            b.y + s * (a.y - b.y) + t * (c.y - b.y),
        )
    };
    let far = size as f64 - 6.5;
    let predicted = affine(far, far);
    let mut corners = vec![predicted];
    if size > 21
        && let Some(found) = find_alignment(p, predicted, [b, a, c], n)
    {
        corners.insert(0, found);
    }
    corners.into_iter().find_map(|d| {
        let h = Homography::from_points(&[
            ((3.5, 3.5), (b.x, b.y)),
            ((size as f64 - 3.5, 3.5), (a.x, a.y)),
            ((3.5, size as f64 - 3.5), (c.x, c.y)),
            ((far, far), d),
        ])?;
        let mut bits = vec![false; size * size];
        for row in 0..size {
            for col in 0..size {
                let (x, y) = h.map(col as f64 + 0.5, row as f64 + 0.5);
                bits[row * size + col] = p.at(x, y).unwrap_or(false);
            }
        }
        rqrr::Grid::new(Sampled { size, bits })
            .decode()
            .ok()
            .map(|(_, text)| text)
    })
}

/// The bottom-right alignment pattern's centre: the place near the prediction where the
/// whole 5×5 shape (dark ring, light ring, dark centre) fits best, if it fits well.
fn find_alignment(
    p: &Bits<'_>,
    predicted: (f64, f64),
    [b, a, c]: [Finder; 3],
    n: f64,
) -> Option<(f64, f64)> {
    let ex = ((a.x - b.x) / n, (a.y - b.y) / n);
    let ey = ((c.x - b.x) / n, (c.y - b.y) / n);
    let module = ex.0.hypot(ex.1);
    let reach = 4.0 * module;
    let step = (module / 4.0).max(0.5);
    let mut best = (0u32, f64::MAX, predicted);
    let mut dy = -reach;
    while dy <= reach {
        let mut dx = -reach;
        while dx <= reach {
            let (cx, cy) = (predicted.0 + dx, predicted.1 + dy);
            let mut score = 0;
            for j in -2i32..=2 {
                for i in -2i32..=2 {
                    let want = i.abs().max(j.abs()) != 1;
                    let (fi, fj) = (f64::from(i), f64::from(j));
                    let x = cx + fi * ex.0 + fj * ey.0;
                    let y = cy + fi * ex.1 + fj * ey.1;
                    if p.at(x, y) == Some(want) {
                        score += 1;
                    }
                }
            }
            let off = dx.hypot(dy);
            if score > best.0 || (score == best.0 && off < best.1) {
                best = (score, off, (cx, cy));
            }
            dx += step;
        }
        dy += step;
    }
    (best.0 >= 23).then_some(best.2)
}

/// A point, in modules or in pixels.
type Spot = (f64, f64);

/// A plane projective map, from module coordinates to picture coordinates.
struct Homography([f64; 8]);

impl Homography {
    fn from_points(pairs: &[(Spot, Spot); 4]) -> Option<Self> {
        let mut m = [[0.0f64; 9]; 8];
        for (i, &((u, v), (x, y))) in pairs.iter().enumerate() {
            m[2 * i] = [u, v, 1.0, 0.0, 0.0, 0.0, -u * x, -v * x, x];
            m[2 * i + 1] = [0.0, 0.0, 0.0, u, v, 1.0, -u * y, -v * y, y];
        }
        for col in 0..8 {
            let pivot = (col..8).max_by(|&r, &s| m[r][col].abs().total_cmp(&m[s][col].abs()))?;
            if m[pivot][col].abs() < 1e-12 {
                return None;
            }
            m.swap(col, pivot);
            let pivot_row = m[col];
            for (row, line) in m.iter_mut().enumerate() {
                if row != col {
                    let f = line[col] / pivot_row[col];
                    for (cell, p) in line.iter_mut().zip(pivot_row).skip(col) {
                        *cell -= f * p;
                    }
                }
            }
        }
        let mut h = [0.0; 8];
        for (i, h) in h.iter_mut().enumerate() {
            *h = m[i][8] / m[i][i];
        }
        Some(Self(h))
    }

    fn map(&self, u: f64, v: f64) -> (f64, f64) {
        let h = &self.0;
        let w = h[6] * u + h[7] * v + 1.0;
        (
            (h[0] * u + h[1] * v + h[2]) / w,
            (h[3] * u + h[4] * v + h[5]) / w,
        )
    }
}

/// The modules as sampled, for `rqrr` to correct and decode.
struct Sampled {
    size: usize,
    bits: Vec<bool>,
}

impl rqrr::BitGrid for Sampled {
    fn size(&self) -> usize {
        self.size
    }

    fn bit(&self, y: usize, x: usize) -> bool {
        self.bits[y * self.size + x]
    }
}

/// Finds and decodes a QR code in an RGBA picture (a canvas's `ImageData`).
pub fn decode_rgba(rgba: &[u8], width: usize, height: usize) -> Option<String> {
    decode_luma(&luma_of_rgba(rgba), width, height)
}

/// Rec. 601 luma of each RGBA pixel (a canvas's `ImageData`).
pub fn luma_of_rgba(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .map(|p| {
            ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000) as u8
        })
        .collect()
}
