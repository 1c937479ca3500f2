//! Pieces of the files made whole on every build (a record's entry in the
//! search index, its rows of open data, a programme's calendar events,
//! and `catalog.json` as one piece),
//! kept between the builds of one process (`sbiz serve`) so that a rebuild
//! after a one-file change makes again only the pieces whose inputs changed.
//!
//! A piece is made by a function of one input value and nothing else, and
//! kept under the fingerprint of that value's encoding (the encoding of
//! page fingerprints, `cache::input_key`) with a tag naming the function:
//! the same input gives the same piece, so a piece taken from the cache is
//! byte for byte the one a clean build makes. The input holds what the
//! piece is made of (texts already looked up, a card by its memoised
//! digest), which is much cheaper to hash than the piece is to make.
//!
//! `sbiz build` has no cache: each piece is made directly, and nothing is
//! hashed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::cache::{self, Fingerprint};

/// The pieces made by the last build and by this one. Those the last
/// build made and this one did not use are dropped at its end
/// ([`Fragments::done`]), so the cache holds one site's pieces.
#[derive(Default)]
pub(crate) struct Fragments {
    pieces: Mutex<Generations>,
}

#[derive(Default)]
struct Generations {
    old: HashMap<Fingerprint, Piece>,
    new: HashMap<Fingerprint, Piece>,
    /// Pieces made (not found) by this build, and by the last one.
    made: usize,
    made_before: usize,
}

/// The parts of one piece (most pieces have one; a row of open data has
/// its JSON and its CSV line).
pub(crate) type Piece = Arc<[String]>;

impl Fragments {
    fn get_or_make(&self, key: Fingerprint, make: impl FnOnce() -> Vec<String>) -> Piece {
        if let Ok(mut g) = self.pieces.lock() {
            if let Some(p) = g.new.get(&key) {
                return p.clone();
            }
            if let Some(p) = g.old.remove(&key) {
                g.new.insert(key, p.clone());
                return p;
            }
        }
        let fresh: Piece = make().into();
        if let Ok(mut g) = self.pieces.lock() {
            g.new.insert(key, fresh.clone());
            g.made += 1;
        }
        fresh
    }

    /// Ends a build's use of the cache: keeps the pieces it used.
    pub(crate) fn done(&self) {
        if let Ok(mut g) = self.pieces.lock() {
            g.old = std::mem::take(&mut g.new);
            g.made_before = std::mem::take(&mut g.made);
        }
    }

    /// How many pieces the last finished build made (the others it used
    /// were found), and how many it used in all.
    pub(crate) fn last_build(&self) -> (usize, usize) {
        self.pieces
            .lock()
            .map_or((0, 0), |g| (g.made_before, g.old.len()))
    }
}

/// Where the files made whole take their pieces from: the cache of
/// `sbiz serve`, or nowhere (each piece made directly).
#[derive(Clone, Copy, Default)]
pub(crate) struct Pieces<'c>(pub(crate) Option<&'c Fragments>);

impl Pieces<'_> {
    /// `make(input)`, or the piece an earlier call made from an equal
    /// input with the same `tag`. `make` must read nothing but `input`.
    pub(crate) fn piece<I: Serialize>(
        self,
        tag: &str,
        input: &I,
        make: impl FnOnce(&I) -> Vec<String>,
    ) -> Piece {
        match self.0 {
            None => make(input).into(),
            Some(f) => f.get_or_make(cache::input_key(tag, input), || make(input)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_piece_is_made_once_per_input_and_dropped_when_unused() {
        let f = Fragments::default();
        let pieces = Pieces(Some(&f));
        let made = std::cell::Cell::new(0);
        let make = |s: &&str| {
            made.set(made.get() + 1);
            vec![s.to_uppercase()]
        };
        assert_eq!(&pieces.piece("t", &"a", make)[0], "A");
        assert_eq!(&pieces.piece("t", &"a", make)[0], "A");
        assert_eq!(made.get(), 1);
        // Another tag is another function: made again.
        pieces.piece("u", &"a", make);
        assert_eq!(made.get(), 2);
        f.done();
        assert_eq!(f.last_build(), (2, 2));
        // The next build uses one of them: the other is dropped.
        pieces.piece("t", &"a", make);
        assert_eq!(made.get(), 2);
        f.done();
        assert_eq!(f.last_build(), (0, 1));
        // Without a cache, every call makes its piece.
        Pieces(None).piece("t", &"a", make);
        assert_eq!(made.get(), 3);
    }

    /// Copies the tree `from` into `to`.
    fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
        for e in walkdir::WalkDir::new(from)
            .into_iter()
            .filter_map(Result::ok)
        {
            let target = to.join(e.path().strip_prefix(from).expect("inside"));
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&target).expect("a folder");
            } else {
                std::fs::copy(e.path(), &target).expect("a copy");
            }
        }
    }

    /// A one-record change makes again only that record's pieces (its
    /// search entry, its row of open data, its calendar events), and the
    /// output is a clean build's (`tests/testsuite/incremental.rs` compares
    /// every file, over more kinds of change).
    #[test]
    fn a_one_record_change_makes_only_its_own_pieces_again() {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        copy_tree(&repo.join("tests/fixtures/valid-site"), root);
        let mut opts = crate::build::Options::new(root, "2026-11-28".parse().expect("a time"));
        opts.themes_dir = repo.join("themes");
        let cache = std::sync::Arc::new(crate::build::LoadCache::settling_after(
            std::time::Duration::ZERO,
        ));
        opts.cache = Some(cache.clone());
        crate::build::build(&opts).expect("the site builds");
        let (made, used) = cache.fragments().last_build();
        assert!(made > 0 && made == used, "made {made}, used {used}");
        crate::build::build(&opts).expect("the site builds");
        assert_eq!(cache.fragments().last_build(), (0, used), "nothing changed");
        let path = root.join("content/programmes/cutter-safety.yaml");
        let text = std::fs::read_to_string(&path).expect("the programme");
        let text = text.replacen("title: 자동재단기 안전교육", "title: 재단기 안전교육", 1);
        std::fs::write(&path, text).expect("the programme written");
        crate::build::build(&opts).expect("the site builds");
        // Its search entry, its row of open data, its calendar events and
        // the catalog (one piece, which holds its title).
        assert_eq!(cache.fragments().last_build(), (4, used));
        let out = |rel: &str| std::fs::read_to_string(root.join("public").join(rel)).expect(rel);
        for file in [
            "search/index.json",
            "data/programmes.json",
            "data/programmes.csv",
            "programmes/sessions.ics",
            "programmes/cutter-safety/sessions.ics",
            "catalog.json",
        ] {
            assert!(out(file).contains("재단기 안전교육"), "{file}");
            assert!(!out(file).contains("자동재단기 안전교육"), "{file}");
        }
    }
}
