//! Incremental builds: a fingerprint of everything an output file is made
//! from, kept in a manifest per output folder, so that a build renders and
//! writes only the files whose inputs changed.
//!
//! An HTML page's fingerprint hashes its URL, its template's name, every
//! template of the theme, the global variables the templates can read and
//! the page's own context (each value in the compact encoding of
//! [`encode`], which tells apart any two values whose JSON differs). Any
//! other file's fingerprint hashes its bytes. Both are XXH3-128 (a
//! fingerprint only tells whether an output's inputs changed; nothing here
//! needs a cryptographic hash, and a rebuild hashes every page's context:
//! SHA-256 took a tenth of a rebuild). Because the context
//! holds what the page shows (statuses from the build time included), this
//! needs no list of what depends on what: a new kind of page is covered as
//! soon as it is rendered through [`Context`].
//!
//! The manifest (`public.cache` beside `public/`, `public.staging.cache`
//! beside the staging folder; see `build::build`) names the sbiz binary
//! that wrote it; a manifest of another binary, or one that cannot be read
//! whole, is ignored and everything is rendered.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use sbiz_presentation::i18n::Translations;
use serde::Serialize;
use sha2::{Digest, Sha256};
use xxhash_rust::xxh3::Xxh3;

mod encode;

/// The manifest's format; bump it when the fingerprints change meaning.
const FORMAT: &str = "sbiz-cache 5";

/// A fingerprint: XXH3-128 of an output's inputs.
pub(crate) type Fingerprint = [u8; 16];

/// The hasher of fingerprints.
#[derive(Default)]
struct Hasher(Xxh3);

impl Hasher {
    fn new() -> Hasher {
        Hasher::default()
    }

    fn update(&mut self, bytes: impl AsRef<[u8]>) {
        self.0.update(bytes.as_ref());
    }

    fn finalize(self) -> Fingerprint {
        self.0.digest128().to_le_bytes()
    }
}

/// The fingerprint of `bytes` alone (also the key of `load`'s caches).
pub(crate) fn digest(bytes: &[u8]) -> Fingerprint {
    xxhash_rust::xxh3::xxh3_128(bytes).to_le_bytes()
}

/// A template context that remembers what it holds, so that the page's
/// fingerprint covers every variable it is rendered with. Used in place of
/// `tera::Context` by every page (and for the global variables).
///
/// Each value is hashed as it is inserted, from its own `Serialize` (see
/// [`encode`]): Tera's values keep maps in a `HashMap`, whose order changes
/// from one build to the next.
///
/// Inside [`hashing_only`] a context keeps only the hashes (most pages of
/// a rebuild are unchanged and never rendered, and making Tera's values
/// costs more than hashing); such a context cannot be rendered.
pub(crate) struct Context {
    vars: Vec<(Cow<'static, str>, tera::Value, Fingerprint)>,
    full: bool,
}

thread_local! {
    static HASHING_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Set while a value is encoded for its hash (not serialised for
    /// Tera): then a [`Hashed`] value writes its memoised digest instead
    /// of itself.
    static HASHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Sets [`HASHING`] for the life of the guard.
struct Hashing(bool);

impl Hashing {
    fn enter() -> Hashing {
        Hashing(HASHING.with(|h| h.replace(true)))
    }
}

impl Drop for Hashing {
    fn drop(&mut self) {
        HASHING.with(|h| h.set(self.0));
    }
}

thread_local! {
    /// The encoding of the value being hashed, kept between values so that
    /// hashing a page allocates nothing: the encoder writes many small
    /// pieces, and the hasher is fed the whole of them at once instead.
    static ENCODED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A buffer larger than this is not kept for the next value.
const ENCODED_KEEP: usize = 256 << 10;

/// The fingerprint of `val` as [`Context::insert`] hashes it: XXH3-128 of
/// its encoding ([`encode`]).
fn value_digest<T: Serialize + ?Sized>(val: &T) -> Fingerprint {
    let _hashing = Hashing::enter();
    // Taken, not borrowed: a memoised value inside `val` hashes itself
    // (with a buffer of its own) while `val` is being written.
    let mut buf = ENCODED.with(|b| std::mem::take(&mut *b.borrow_mut()));
    buf.clear();
    // A value that does not serialise still changes the hash (and cannot
    // encode as one that does: a whole encoding is never followed by more).
    if val.serialize(&mut encode::Encoder::new(&mut buf)).is_err() {
        buf.push(encode::FAILED);
    }
    let digest = digest(&buf);
    if buf.capacity() <= ENCODED_KEEP {
        ENCODED.with(|b| *b.borrow_mut() = buf);
    }
    digest
}

/// The digest of a value shown on many pages (a record's card), made the
/// first time one of them is hashed and reused by the others. It belongs
/// to the value: the value must not change once it has been hashed (a
/// clone starts empty).
#[derive(Default)]
pub(crate) struct Memo(std::sync::OnceLock<Fingerprint>);

impl Clone for Memo {
    fn clone(&self) -> Memo {
        Memo::default()
    }
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

/// A value that keeps its own [`Memo`].
pub(crate) trait Memoised: Serialize {
    fn memo(&self) -> &Memo;
}

/// A memoised value in a page's context: Tera gets the value itself, the
/// page's fingerprint its digest (the hash of the value's own encoding, so
/// the fingerprint still changes exactly when the value does). A list page
/// of 20 cards hashes 20 digests instead of encoding 20 cards; each card is
/// encoded for hashing once per build, not once per page.
pub(crate) struct Hashed<'a, T>(pub(crate) &'a T);

/// A digest as the encoder sees it: a newtype named [`encode::MEMO_NAME`]
/// around its 16 bytes, which it writes behind a tag of its own (no value
/// encodes as that tag, so a digest is never confused with a value).
struct MemoDigest(Fingerprint);

impl Serialize for MemoDigest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Bytes<'d>(&'d Fingerprint);
        impl Serialize for Bytes<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(self.0)
            }
        }
        s.serialize_newtype_struct(encode::MEMO_NAME, &Bytes(&self.0))
    }
}

impl<T: Memoised> Serialize for Hashed<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !hashing() {
            return self.0.serialize(s);
        }
        let digest = self.0.memo().0.get_or_init(|| value_digest(self.0));
        MemoDigest(*digest).serialize(s)
    }
}

/// Whether a value is being encoded for a fingerprint (not serialised for
/// Tera): a value whose text is made from other data may then give that
/// data instead (`jsonld::JsonLd`).
pub(crate) fn hashing() -> bool {
    HASHING.with(std::cell::Cell::get)
}

/// Runs `f` with the contexts it makes keeping only their hashes.
pub(crate) fn hashing_only<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            HASHING_ONLY.with(|h| h.set(self.0));
        }
    }
    let _restore = Restore(HASHING_ONLY.with(|h| h.replace(true)));
    f()
}

impl Default for Context {
    fn default() -> Context {
        Context {
            vars: Vec::new(),
            full: !HASHING_ONLY.with(std::cell::Cell::get),
        }
    }
}

impl Context {
    pub(crate) fn new() -> Context {
        Context::default()
    }

    /// Whether the context holds its values (and can be rendered).
    pub(crate) fn is_full(&self) -> bool {
        self.full
    }

    /// Sets `key` (replacing an earlier value).
    pub(crate) fn insert<S: Into<Cow<'static, str>>, T: Serialize + ?Sized>(
        &mut self,
        key: S,
        val: &T,
    ) {
        let key = key.into();
        let digest = value_digest(val);
        self.set(key, val, digest);
    }

    /// Sets `key` to `val` (its Tera value only in a full context) with its hash.
    fn set<T: Serialize + ?Sized>(&mut self, key: Cow<'static, str>, val: &T, digest: Fingerprint) {
        let val = if self.full {
            tera::Value::from_serializable(val)
        } else {
            tera::Value::none()
        };
        match self.vars.iter_mut().find(|(k, _, _)| *k == key) {
            Some(slot) => {
                slot.1 = val;
                slot.2 = digest;
            }
            None => self.vars.push((key, val, digest)),
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&tera::Value> {
        self.vars
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, _)| v)
    }

    /// Feeds every variable but those of `skip` into `h`, in key order
    /// (the order of inserts does not matter).
    fn hash_into(&self, h: &mut Hasher, skip: &[&str]) {
        let mut vars: Vec<_> = self.vars.iter().collect();
        vars.sort_by(|a, b| a.0.cmp(&b.0));
        for (k, _, digest) in vars {
            if skip.contains(&k.as_ref()) {
                continue;
            }
            field(h, k.as_bytes());
            h.update(digest);
        }
    }

    /// The Tera context with the same variables (none if [`is_full`] is
    /// false: such a context is for fingerprints only).
    pub(crate) fn to_tera(&self) -> tera::Context {
        let mut c = tera::Context::new();
        for (k, v, _) in &self.vars {
            c.insert_value(k.clone(), v.clone());
        }
        c
    }
}

/// Adds one length-prefixed field, so that fields cannot run into each other.
fn field(h: &mut Hasher, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// What every page of one build shares: the theme and the global variables.
pub(crate) struct Shared {
    theme: Fingerprint,
    globals: Fingerprint,
}

impl Shared {
    /// `sources`: every template by name; `translations`: the theme's
    /// translation tables (`themes/default/i18n/*.yaml`, both languages:
    /// pages reach them through `t` and through texts made in Rust);
    /// `globals`: the variables every template sees. `build` (the build
    /// time) changes with every build made without `--now`; it is left out
    /// unless a template names it (or dumps the whole context), since
    /// statuses and dates reach pages through their own context.
    pub(crate) fn new<'s>(
        sources: impl IntoIterator<Item = (&'s String, &'s String)>,
        translations: &Translations,
        globals: &Context,
    ) -> Shared {
        let mut h = Hasher::new();
        let mut reads_build = false;
        for (name, src) in sources {
            field(&mut h, name.as_bytes());
            field(&mut h, src.as_bytes());
            reads_build |= names_identifier(src, "build") || src.contains("__tera_context");
        }
        for (lang, table) in [("ko", &translations.ko), ("en", &translations.en)] {
            field(&mut h, lang.as_bytes());
            h.update((table.len() as u64).to_le_bytes());
            for (key, text) in table {
                field(&mut h, key.as_bytes());
                field(&mut h, text.as_bytes());
            }
        }
        let theme = h.finalize();
        let mut h = Hasher::new();
        globals.hash_into(&mut h, if reads_build { &[] } else { &["build"] });
        Shared {
            theme,
            globals: h.finalize(),
        }
    }

    /// The fingerprint of the page at `url` rendered from `template` with `ctx`.
    pub(crate) fn page(&self, url: &str, template: &str, ctx: &Context) -> Fingerprint {
        let mut h = Hasher::new();
        field(&mut h, b"page");
        field(&mut h, url.as_bytes());
        field(&mut h, template.as_bytes());
        h.update(self.theme);
        h.update(self.globals);
        ctx.hash_into(&mut h, &[]);
        h.finalize()
    }
}

/// What an English page's HTML is rewritten with after rendering
/// (`english::localize_links`): the Korean paths of the English pages and
/// the text that marks a link to a page in Korean only. Translating one
/// more record changes the links of other English pages, not their
/// contexts; this joins their fingerprints (see [`with_links`]).
pub(crate) fn english_links(
    english: &std::collections::HashSet<String>,
    in_korean: &str,
) -> Fingerprint {
    let mut urls: Vec<&String> = english.iter().collect();
    urls.sort();
    let mut h = Hasher::new();
    field(&mut h, b"english-links");
    field(&mut h, in_korean.as_bytes());
    h.update((urls.len() as u64).to_le_bytes());
    for url in urls {
        field(&mut h, url.as_bytes());
    }
    h.finalize()
}

/// A page's fingerprint joined with that of the rewrite of its links.
pub(crate) fn with_links(page: &Fingerprint, links: &Fingerprint) -> Fingerprint {
    let mut h = Hasher::new();
    field(&mut h, b"localized");
    h.update(page);
    h.update(links);
    h.finalize()
}

/// The fingerprint of a file written as it is (feeds, data, assets…).
pub(crate) fn bytes(url: &str, bytes: &[u8]) -> Fingerprint {
    let mut h = Hasher::new();
    field(&mut h, b"file");
    field(&mut h, url.as_bytes());
    field(&mut h, bytes);
    h.finalize()
}

/// The key of a piece of a file made from `input` by the function named
/// `tag` (`render::fragments`): the hash of `input`'s encoding, as a
/// page's context values are hashed (memoised cards by their digest).
pub(crate) fn input_key<T: Serialize + ?Sized>(tag: &str, input: &T) -> Fingerprint {
    let mut h = Hasher::new();
    field(&mut h, b"piece");
    field(&mut h, tag.as_bytes());
    h.update(value_digest(input));
    h.finalize()
}

/// Whether `src` holds `word` as a whole identifier (not inside `builds`).
fn names_identifier(src: &str, word: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    src.match_indices(word).any(|(i, _)| {
        !src[..i].chars().next_back().is_some_and(ident)
            && !src[i + word.len()..].chars().next().is_some_and(ident)
    })
}

/// Which binary wrote a manifest: its version, and the size and time of the
/// executable, so that a rebuilt `sbiz` (whose rendering code may differ)
/// never trusts the fingerprints of another. `None` when the executable
/// cannot be found: no manifest is trusted then.
fn identity() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "{} {} {}.{:09} {}",
        env!("CARGO_PKG_VERSION"),
        meta.len(),
        modified.as_secs(),
        modified.subsec_nanos(),
        hex::encode(Sha256::digest(exe.to_string_lossy().as_bytes()))
    ))
}

/// What an output folder holds: each file's URL and fingerprint.
#[derive(Default, Debug, Clone, PartialEq)]
pub(crate) struct Manifest {
    pub(crate) files: HashMap<String, Fingerprint>,
}

impl Manifest {
    /// Reads a manifest; `None` if it is missing, of another format or
    /// binary, or not whole (a crash while writing it).
    pub(crate) fn read(path: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(path).ok()?;
        let mut lines = text.lines();
        let header = format!("{FORMAT} {}", identity()?);
        if lines.next()? != header {
            return None;
        }
        let mut files = HashMap::new();
        for line in lines {
            if let Some(count) = line.strip_prefix("end ") {
                return (count.parse::<usize>().ok()? == files.len()).then_some(Manifest { files });
            }
            let (hash, url) = line.split_once(' ')?;
            let mut fp = [0u8; 16];
            hex::decode_to_slice(hash, &mut fp).ok()?;
            files.insert(url.to_owned(), fp);
        }
        None
    }

    /// Writes the manifest whole or not at all (through a temporary file).
    pub(crate) fn write(&self, path: &Path) -> std::io::Result<()> {
        let Some(id) = identity() else {
            return Ok(());
        };
        let mut urls: Vec<(&String, &Fingerprint)> = self.files.iter().collect();
        urls.sort();
        let mut text = format!("{FORMAT} {id}\n");
        for (url, fp) in &urls {
            // A URL holding a line break could not be read back.
            if url.contains(['\n', '\r']) {
                return Ok(());
            }
            text.push_str(&hex::encode(fp));
            text.push(' ');
            text.push_str(url);
            text.push('\n');
        }
        text.push_str(&format!("end {}\n", urls.len()));
        let tmp = path.with_extension("cache-tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_found_whole() {
        assert!(names_identifier("{{ build.now }}", "build"));
        assert!(names_identifier("{{ x | default(value=build) }}", "build"));
        assert!(!names_identifier("the generator builds them", "build"));
        assert!(!names_identifier("{{ rebuild }}", "build"));
    }

    #[test]
    fn contexts_hash_the_same_whatever_the_order_of_inserts() {
        let shared = Shared::new([], &Translations::default(), &Context::new());
        let mut a = Context::new();
        a.insert("x", &1);
        a.insert("y", "two");
        let mut b = Context::new();
        b.insert("y", "two");
        b.insert("x", &1);
        assert_eq!(shared.page("/", "t", &a), shared.page("/", "t", &b));
        b.insert("x", &2);
        assert_ne!(shared.page("/", "t", &a), shared.page("/", "t", &b));
        // Values cannot run into keys.
        let mut c = Context::new();
        c.insert("a", "bc");
        let mut d = Context::new();
        d.insert("ab", "c");
        assert_ne!(shared.page("/", "t", &c), shared.page("/", "t", &d));
    }

    #[derive(Serialize)]
    struct Card {
        title: String,
        #[serde(skip)]
        memo: Memo,
    }

    impl Memoised for Card {
        fn memo(&self) -> &Memo {
            &self.memo
        }
    }

    /// The encoding of `val`, as `value_digest` hashes it.
    fn encoded<T: Serialize + ?Sized>(val: &T) -> Vec<u8> {
        let _hashing = Hashing::enter();
        let mut buf = Vec::new();
        val.serialize(&mut encode::Encoder::new(&mut buf))
            .expect("encodes");
        buf
    }

    #[test]
    fn a_value_is_hashed_as_its_encoding_whole_and_inside_a_memoised_one() {
        let value = serde_json::json!({ "title": "제목 \"x\"", "n": [1, 2.5, null] });
        let want: Fingerprint = digest(&encoded(&value));
        assert_eq!(value_digest(&value), want);
        // Again, with the buffer of the first one kept, and longer than it.
        let long = "가".repeat(100_000);
        let want_long: Fingerprint = digest(&encoded(&long));
        assert_eq!(value_digest(&long), want_long);
        assert_eq!(value_digest(&value), want);
        // A memoised card inside a value: its digest is made (with a
        // buffer of its own) while the value is being written, and stands
        // behind the memo tag in the card's place.
        let card = Card {
            title: "a".into(),
            memo: Memo::default(),
        };
        let card_digest = value_digest(&card);
        let outer = encoded(&(1, Hashed(&card), 2));
        let mut want = encoded(&(1,));
        want.pop(); // the tuple's end
        want.push(encode::MEMO);
        want.extend(encoded(&serde_bytes_of(&card_digest)));
        want.extend(encoded(&2));
        want.push(encode::END);
        assert_eq!(outer, want);
        assert_eq!(value_digest(&(1, Hashed(&card), 2)), digest(&want));
    }

    /// `bytes` as serde bytes (a `[u8; 16]` is a tuple of numbers).
    fn serde_bytes_of(bytes: &[u8]) -> impl Serialize + '_ {
        struct B<'b>(&'b [u8]);
        impl Serialize for B<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(self.0)
            }
        }
        B(bytes)
    }

    /// Values that differ only where an encoding without lengths, tags or
    /// ends could run them together.
    #[test]
    fn values_that_differ_only_at_a_boundary_have_different_fingerprints() {
        use serde_json::json;
        #[derive(Serialize)]
        struct Opt {
            a: u8,
            b: Option<u8>,
        }
        #[derive(Serialize)]
        struct Skipping {
            a: u8,
            #[serde(skip_serializing_if = "Option::is_none")]
            b: Option<u8>,
        }
        let differ = |a: &dyn erased::Value, b: &dyn erased::Value, why: &str| {
            assert_ne!(a.digest(), b.digest(), "{why}");
        };
        differ(
            &json!(["ab", "c"]),
            &json!(["a", "bc"]),
            "strings in a list",
        );
        differ(&("ab", "c"), &("a", "bc"), "strings in a tuple");
        differ(&json!({"ab": "c"}), &json!({"a": "bc"}), "key and value");
        differ(
            &json!({"a": "b", "c": "d"}),
            &json!({"a": "bc", "": "d"}),
            "entries",
        );
        differ(&json!([["a"], []]), &json!([[], ["a"]]), "nested lists");
        differ(
            &json!([[1, 2], 3]),
            &json!([1, [2, 3]]),
            "where a list ends",
        );
        differ(&json!([[1], 2]), &json!([[1, 2]]), "where a list ends");
        differ(
            &json!({"a": {"b": 1}, "c": 2}),
            &json!({"a": {"b": 1, "c": 2}}),
            "where a map ends",
        );
        differ(&json!([{}]), &json!([[]]), "empty map, empty list");
        differ(&json!([null]), &json!([]), "a null, nothing");
        differ(&json!({"b": null}), &json!({}), "a null entry, no entry");
        differ(
            &Opt { a: 1, b: None },
            &Skipping { a: 1, b: None },
            "None and a missing field",
        );
        differ(&Some(0u8), &None::<u8>, "Some(0) and None");
        differ(&json!(1), &json!("1"), "number and string");
        differ(&json!(true), &json!("true"), "bool and string");
        differ(&json!(null), &json!(""), "null and empty string");
        differ(&json!(1), &json!(1.0), "integer and float");
        differ(&json!(0.1), &json!(0.2), "floats");
        differ(&json!(-1), &json!(u64::MAX), "signed and unsigned");
        differ(&json!(""), &json!([]), "empty string and empty list");
        differ(&json!("a\u{0}"), &json!("a"), "a trailing NUL");
        differ(
            &json!(["a", "b"]),
            &json!("ab"),
            "list of strings and a string",
        );
        // Text holding any byte a tag could be (the encoding's tags are
        // bytes below 0x20 and 0xff, the last one not UTF-8).
        for byte in 0u8..0x80 {
            let c = char::from(byte);
            let why = format!("a string holding byte {byte:#04x}");
            differ(&json!([format!("a{c}b")]), &json!(["a", "b"]), &why);
            differ(
                &json!([format!("a{c}"), "b"]),
                &json!(["a", format!("{c}b")]),
                &why,
            );
            differ(
                &json!({ format!("a{c}"): "b" }),
                &json!({ "a": format!("{c}b") }),
                &why,
            );
            differ(
                &json!([[format!("a{c}")], []]),
                &json!([["a"], [c.to_string()]]),
                &why,
            );
        }
        // Equal values, equal fingerprints, however they are held.
        assert_eq!(
            erased::Value::digest(&Opt { a: 1, b: Some(2) }),
            erased::Value::digest(&json!({"a": 1, "b": 2}))
        );
    }

    /// Values of different types behind one reference, for the test above.
    mod erased {
        pub(super) trait Value {
            fn digest(&self) -> super::Fingerprint;
        }
        impl<T: super::Serialize> Value for T {
            fn digest(&self) -> super::Fingerprint {
                super::value_digest(self)
            }
        }
    }

    #[test]
    fn a_memoised_value_is_itself_for_tera_and_its_digest_for_the_hash() {
        let shared = Shared::new([], &Translations::default(), &Context::new());
        let card = |title: &str| Card {
            title: title.into(),
            memo: Memo::default(),
        };
        let (a, b) = (card("a"), card("b"));
        let page = |cards: &[&Card]| {
            let mut c = Context::new();
            c.insert(
                "items",
                &cards.iter().map(|c| Hashed(*c)).collect::<Vec<_>>(),
            );
            (shared.page("/", "t", &c), c.get("items").cloned())
        };
        let (fp_a, value) = page(&[&a]);
        assert_eq!(
            value,
            Some(tera::Value::from_serializable(
                &serde_json::json!([{ "title": "a" }])
            ))
        );
        assert!(a.memo.0.get().is_some(), "hashed once, kept");
        assert_eq!(page(&[&a]).0, fp_a);
        assert_ne!(page(&[&b]).0, fp_a);
        assert_ne!(page(&[&a, &a]).0, fp_a);
        // The same card again, not memoised: the same fingerprint.
        assert_eq!(page(&[&card("a")]).0, fp_a);
    }

    #[test]
    fn translations_and_the_english_links_are_in_the_fingerprints() {
        let ctx = Context::new();
        let mut tr = Translations::default();
        tr.en.insert("in_korean".into(), "(in Korean)".into());
        let a = Shared::new([], &tr, &ctx);
        tr.en.insert("in_korean".into(), "(Korean only)".into());
        let b = Shared::new([], &tr, &ctx);
        assert_ne!(a.page("/en/", "t", &ctx), b.page("/en/", "t", &ctx));
        // The same page context under either table: `Shared` tells them apart.
        let mut c = Context::new();
        c.insert("t", &tr.en);
        assert_ne!(a.page("/en/", "t", &c), b.page("/en/", "t", &c));
        let set = |urls: &[&str]| urls.iter().map(|u| u.to_string()).collect();
        let page = a.page("/en/", "t", &ctx);
        let one = english_links(&set(&["/", "/jobs/"]), "(in Korean)");
        let same = english_links(&set(&["/jobs/", "/"]), "(in Korean)");
        let more = english_links(&set(&["/", "/jobs/", "/jobs/x/"]), "(in Korean)");
        let text = english_links(&set(&["/", "/jobs/"]), "(Korean only)");
        assert_eq!(with_links(&page, &one), with_links(&page, &same));
        assert_ne!(with_links(&page, &one), with_links(&page, &more));
        assert_ne!(with_links(&page, &one), with_links(&page, &text));
    }

    #[test]
    fn a_manifest_reads_back_and_a_truncated_one_does_not() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("public.cache");
        let mut m = Manifest::default();
        m.files.insert("/".into(), [1; 16]);
        m.files.insert("/assets/a b.css".into(), [2; 16]);
        m.write(&path).expect("write");
        assert_eq!(Manifest::read(&path), Some(m));
        let text = std::fs::read_to_string(&path).expect("read");
        let cut = text.lines().take(2).collect::<Vec<_>>().join("\n");
        std::fs::write(&path, cut).expect("write");
        assert_eq!(Manifest::read(&path), None);
        std::fs::write(&path, text.replace(FORMAT, "sbiz-cache 0")).expect("write");
        assert_eq!(Manifest::read(&path), None);
    }
}
