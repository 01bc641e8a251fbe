//! Which page of the citizen app answers which address.
//!
//! The citizen app is three wasm bundles, so the first screen downloads only what it shows:
//! the main app (card, QR, PIN, login, activation), the pages for someone without an account
//! on this phone (registration with camera, QR reader and captcha; password reset) and the
//! verifier (the whole Claim 169 decoder). Each bundle has its own HTML page. Three places
//! must agree on which page an address opens: the service (`ikd serve`, for a reload or a
//! shared link) and the bundles themselves (a link to another bundle's address becomes a full
//! page load) read it from here; the service worker reads each page's
//! `<meta name="ikd-addresses">` at build time, and a test below keeps those equal to this.

/// One HTML page of the citizen app, with its bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    /// `index.html`: everything a citizen with an account uses, offline included.
    Citizen,
    /// `daftar.html`: registration with the camera, the desk-QR reader and the captcha, and
    /// the password reset (both for someone not logged in).
    Register,
    /// `verifikasi.html`: checking someone else's QR, offline, without an account.
    Verifier,
}

/// Every shell, the main one first.
pub const SHELLS: [Shell; 3] = [Shell::Citizen, Shell::Register, Shell::Verifier];

impl Shell {
    /// The page's file in the build (`dist/`).
    pub fn html_file(self) -> &'static str {
        match self {
            Shell::Citizen => "index.html",
            Shell::Register => "daftar.html",
            Shell::Verifier => "verifikasi.html",
        }
    }

    /// The in-app addresses this shell owns. The main shell owns every address that no other
    /// shell lists.
    pub fn paths(self) -> &'static [&'static str] {
        match self {
            Shell::Citizen => &[],
            Shell::Register => &["/daftar", "/lupa-sandi"],
            Shell::Verifier => &["/verifikasi"],
        }
    }

    /// The shell that opens `path` (the URL's path, without query or fragment). A trailing
    /// slash is forgiven, so `/daftar/` opens registration too.
    pub fn for_path(path: &str) -> Shell {
        let trimmed = if path.len() > 1 {
            path.trim_end_matches('/')
        } else {
            path
        };
        SHELLS
            .into_iter()
            .find(|shell| shell.paths().contains(&trimmed))
            .unwrap_or(Shell::Citizen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_and_verifier_have_their_own_pages_and_the_rest_is_the_main_app() {
        assert_eq!(Shell::for_path("/daftar"), Shell::Register);
        assert_eq!(Shell::for_path("/daftar/"), Shell::Register);
        assert_eq!(Shell::for_path("/lupa-sandi"), Shell::Register);
        assert_eq!(Shell::for_path("/verifikasi"), Shell::Verifier);
        for path in [
            "/",
            "",
            "/ktp",
            "/aktivasi",
            "/masuk",
            "/buka",
            "/daftarx",
            "/x/daftar",
        ] {
            assert_eq!(Shell::for_path(path), Shell::Citizen, "{path}");
        }
    }

    /// Each page declares its addresses for the service worker (`cargo xtask
    /// stamp-service-worker` reads them from the built pages); they must be these.
    #[test]
    fn each_page_declares_exactly_the_addresses_it_owns() {
        let pages = [
            (Shell::Register, include_str!("../../../daftar.html")),
            (Shell::Verifier, include_str!("../../../verifikasi.html")),
        ];
        for (shell, html) in pages {
            let meta = format!(
                "<meta name=\"ikd-addresses\" content=\"{}\" />",
                shell.paths().join(" ")
            );
            assert!(html.contains(&meta), "{} lacks {meta}", shell.html_file());
            assert_eq!(
                html.matches("ikd-addresses").count(),
                1,
                "{}",
                shell.html_file()
            );
        }
        assert!(!include_str!("../../../index.html").contains("ikd-addresses"));
    }

    #[test]
    fn every_shell_has_its_own_page() {
        let mut files: Vec<_> = SHELLS.iter().map(|s| s.html_file()).collect();
        files.sort_unstable();
        files.dedup();
        assert_eq!(files.len(), SHELLS.len());
        assert_eq!(SHELLS[0].html_file(), "index.html");
    }
}
