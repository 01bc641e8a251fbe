//! Split points handed over by a binary. A `wasm_split` function (the splitter's own macro,
//! which Leptos's `#[lazy]` wraps, used here for its `fallible` option) is where `cargo xtask`
//! cuts a bundle's wasm into a chunk that loads when the function is first called
//! (`xtask/src/wasm_split.rs`). Such a function is a wasm export, which the linker keeps in
//! every binary that links it: in this library it would put its code into all three bundles.
//! So the split points live in the binaries (`src/main.rs`, `src/bin/`), each binary installs
//! its own here before it mounts, and the library calls them through these slots.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

/// An answer on its way from a chunk (Send for Leptos's `Suspend`; a browser has one thread,
/// so the binaries wrap their futures in a `SendWrapper`).
pub type Loading<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// A chunk could not be fetched: offline before the service worker kept it (a first visit,
/// or Save-Data), or the signal dropped. The split points are `fallible`, so this is an
/// answer the page shows (`components::chunk_unavailable`), not a panic that would stop the
/// whole app; the next call fetches again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkUnavailable;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkUnavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkUnavailable
    }
}

/// One slot, filled once by the binary whose bundle uses it.
#[derive(Debug)]
pub struct SplitPoint<F: Copy> {
    name: &'static str,
    installed: OnceLock<F>,
}

impl<F: Copy> SplitPoint<F> {
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            installed: OnceLock::new(),
        }
    }

    /// Fills the slot; a second call keeps the first (one binary, one set of split points).
    pub fn install(&self, f: F) {
        let _ = self.installed.set(f);
    }

    /// The installed function. No fallback to calling the code directly: that would link it
    /// into the main module, and the split would move nothing.
    pub fn get(&self) -> F {
        match self.installed.get() {
            Some(f) => *f,
            None => panic!(
                "split point {} not installed: the binary installs it before mounting",
                self.name
            ),
        }
    }
}
