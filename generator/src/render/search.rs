//! The search index: `/search/index.json`, fetched by the search page's script
//! only when someone searches.
//!
//! Korean search needs infix matching ("재단기" must find 자동재단기, "봉제"
//! must find 의류봉제) and particle stripping ("센터에서" finds 센터). Word-prefix
//! indexes (Pagefind, most stemmers) cannot match the middle of a compound
//! noun, so the index keeps, per record, normalised text fields that the
//! browser matches by substring: the title, the keywords (kind, facts, taxonomy
//! terms) and the body's distinct words. Normalising splits a run of Latin
//! letters or digits from a Hangul run next to it ("3D프린터" → `3d 프린터`),
//! as the query's words are split, so that both spellings find the same
//! records. The browser strips particles from
//! the query (see `themes/default/static/js/search.js`) and ranks title
//! matches first. With a few hundred records the whole index is a few dozen
//! kilobytes compressed; the body words are capped per record so that a very
//! large site keeps a bounded index.

use serde::Serialize;

use sbiz_catalog::Lang;

use super::cache::Hashed;
use super::entries::{Card, Entry};
use super::fragments::{Piece, Pieces};
use super::templates::Tr;
use crate::model::{Kind, Taxonomy};
use crate::site::Site;

/// The sets of words of one record: of short strings, looked up once per
/// word of every body on every build, where SipHash showed in profiles.
type HashSet<T> = foldhash::HashSet<T>;

/// At most this many distinct body words per record.
const MAX_BODY_WORDS: usize = 300;

#[derive(Serialize)]
struct Doc<'a> {
    /// The kind's section (`programmes`).
    k: &'static str,
    /// URL.
    u: String,
    /// Title, as shown.
    t: &'a str,
    /// Summary, as shown.
    s: &'a str,
    /// Status `[key, label, from, until]`, for the live label.
    #[serde(skip_serializing_if = "Option::is_none")]
    st: Option<[&'a str; 5]>,
    /// Industry ids.
    i: Vec<&'a str>,
    /// District ids.
    d: Vec<&'a str>,
    /// Normalised title.
    nt: String,
    /// Normalised keywords: summary, facts, term names.
    nk: String,
    /// Normalised distinct body words.
    nb: String,
}

pub(crate) use sbiz_presentation::search::normalize;

/// Distinct words of `text`, in order of first appearance, at most `max`.
/// Stops reading at the `max`th word (bodies can be long).
fn distinct_words(text: &str, skip: &HashSet<&str>, max: usize) -> String {
    let mut seen: HashSet<String> = HashSet::default();
    let mut out = String::new();
    let mut count = 0;
    sbiz_presentation::search::for_each_word(text, |w| {
        if skip.contains(w) || seen.contains(w) {
            return true;
        }
        seen.insert(w.to_owned());
        if count > 0 {
            out.push(' ');
        }
        out.push_str(w);
        count += 1;
        count < max
    });
    out
}

/// The search form of the static search page: its choices, nothing asked.
pub(crate) fn form(site: &Site, tr: Tr<'_>) -> sbiz_presentation::search::SearchView {
    let pairs = |tax: Taxonomy| -> Vec<[String; 2]> {
        site.terms(tax)
            .iter()
            .map(|t| [t.id.to_string(), t.name.clone()])
            .collect()
    };
    let index = sbiz_presentation::search::Index {
        kinds: Kind::ALL
            .iter()
            .map(|k| [k.section().to_owned(), tr.kind(*k)])
            .collect(),
        industries: pairs(Taxonomy::Industries),
        districts: pairs(Taxonomy::Districts),
        docs: Vec::new(),
    };
    sbiz_presentation::search::search(
        &index,
        &Default::default(),
        site.today(),
        sbiz_catalog::Lang::Ko,
    )
}

/// The start of the search index, every field before its records.
#[derive(Serialize)]
struct Head<'a> {
    /// `[section, name]` of every kind, in display order, in the index's language.
    kinds: Vec<[String; 2]>,
    /// `[id, name]` of every industry.
    industries: Vec<[&'a str; 2]>,
    /// `[id, name]` of every district.
    districts: Vec<[&'a str; 2]>,
}

/// What one record's entry in the index is made of, and nothing else
/// (its piece is kept by this value in `sbiz serve`, see
/// `render::fragments`).
#[derive(Serialize)]
struct DocInput<'a> {
    lang: Lang,
    kind: Kind,
    card: Hashed<'a, Card>,
    /// Each of the record's terms, with its name when the term exists.
    terms: Vec<(Taxonomy, &'a str, Option<&'a str>)>,
    /// The record's text for search.
    text: &'a str,
}

impl<'a> DocInput<'a> {
    fn new(site: &'a Site, e: &'a Entry, lang: Lang) -> DocInput<'a> {
        DocInput {
            lang,
            kind: e.kind,
            card: Hashed(&e.card),
            terms: e
                .terms
                .iter()
                .map(|(tax, id)| {
                    (
                        *tax,
                        id.as_str(),
                        site.term(*tax, id).map(|t| t.name.as_str()),
                    )
                })
                .collect(),
            text: &e.text,
        }
    }

    /// The record's entry, as JSON.
    fn doc(&self) -> Vec<String> {
        let c = self.card.0;
        let mut keywords = vec![c.kind_name.as_str(), c.summary.as_str()];
        keywords.extend(c.facts.iter().map(|f| f.value.as_str()));
        keywords.extend(self.terms.iter().filter_map(|(_, _, name)| *name));
        let nt = normalize(&c.title);
        let nk = distinct_words(&keywords.join(" "), &HashSet::default(), usize::MAX);
        let skip: HashSet<&str> = nt.split(' ').chain(nk.split(' ')).collect();
        let nb = distinct_words(self.text, &skip, MAX_BODY_WORDS);
        let doc = Doc {
            k: self.kind.section(),
            u: self.lang.path(&c.url),
            t: &c.title,
            s: &c.summary,
            st: c.status.as_ref().map(|s| {
                [
                    s.key,
                    s.label.as_str(),
                    s.from.as_str(),
                    s.until.as_str(),
                    s.open_label.as_str(),
                ]
            }),
            i: self.term_ids(Taxonomy::Industries),
            d: self.term_ids(Taxonomy::Districts),
            nt,
            nk,
            nb,
        };
        vec![serde_json::to_string(&doc).unwrap_or_else(|_| unreachable!("a record serialises"))]
    }

    /// The record's distinct term ids of `tax`, in order.
    fn term_ids(&self, tax: Taxonomy) -> Vec<&'a str> {
        let mut v: Vec<&str> = Vec::new();
        for (t, id, _) in &self.terms {
            if *t == tax && !v.contains(id) {
                v.push(id);
            }
        }
        v
    }
}

/// The search index as JSON bytes, in the language of `tr`: the English
/// edition's index (`/en/search/index.json`) holds only its English pages.
/// Each record's entry comes from `pieces` (made again only when what it
/// is made of changed).
pub(crate) fn index(site: &Site, entries: &[Entry], tr: Tr<'_>, pieces: Pieces<'_>) -> Vec<u8> {
    let term_pairs = |tax: Taxonomy| -> Vec<[&str; 2]> {
        site.terms(tax)
            .iter()
            .map(|t| [t.id.as_str(), t.name.as_str()])
            .collect()
    };
    let head = Head {
        kinds: Kind::ALL
            .iter()
            .map(|k| [k.section().to_owned(), tr.kind(*k)])
            .collect(),
        industries: term_pairs(Taxonomy::Industries),
        districts: term_pairs(Taxonomy::Districts),
    };
    let docs = entries.iter().map(|e| {
        pieces.piece(
            "search-doc",
            &DocInput::new(site, e, tr.lang),
            DocInput::doc,
        )
    });
    object_with_docs(&head, docs)
}

/// The JSON of `head` with a last field, `docs`: the list of the JSON
/// texts of `docs` (each the first part of its piece).
fn object_with_docs(head: &Head<'_>, docs: impl Iterator<Item = Piece>) -> Vec<u8> {
    let mut out = serde_json::to_vec(head).unwrap_or_else(|_| unreachable!("the index serialises"));
    // `{"kinds":…,"districts":[…]}` goes on with the records.
    out.pop();
    out.extend_from_slice(b",\"docs\":[");
    for (i, doc) in docs.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(doc[0].as_bytes());
    }
    out.extend_from_slice(b"]}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_joins_compounds_and_lowercases() {
        assert_eq!(normalize("의류·봉제, CNC 가공!"), "의류봉제 cnc 가공");
        // A Latin or digit run and a Hangul run are separate words however
        // they are written, as the query's are.
        assert_eq!(normalize("  3D-프린터  "), "3d 프린터");
        assert_eq!(normalize("3D프린터"), normalize("3D 프린터"));
    }

    #[test]
    fn the_index_is_one_object_with_its_docs_last() {
        #[derive(Serialize)]
        struct Whole<'a> {
            kinds: Vec<[String; 2]>,
            industries: Vec<[&'a str; 2]>,
            districts: Vec<[&'a str; 2]>,
            docs: Vec<serde_json::Value>,
        }
        let docs = [
            serde_json::json!({ "k": "notices", "t": "가 \"나\"" }),
            serde_json::json!({ "k": "jobs", "nb": "" }),
        ];
        let pieces = docs
            .iter()
            .map(|d| Piece::from(vec![d.to_string()]))
            .collect::<Vec<_>>();
        let head = Head {
            kinds: vec![["notices".into(), "공지".into()]],
            industries: vec![["apparel", "의류"]],
            districts: Vec::new(),
        };
        for n in 0..=docs.len() {
            let whole = Whole {
                kinds: head.kinds.clone(),
                industries: head.industries.clone(),
                districts: Vec::new(),
                docs: docs[..n].to_vec(),
            };
            assert_eq!(
                object_with_docs(&head, pieces[..n].iter().cloned()),
                serde_json::to_vec(&whole).expect("serialises")
            );
        }
    }

    #[test]
    fn distinct_words_skips_repeats_and_known_words() {
        let skip: HashSet<&str> = ["센터"].into_iter().collect();
        assert_eq!(
            distinct_words("센터 재단 재단 봉제", &skip, 10),
            "재단 봉제"
        );
        assert_eq!(
            distinct_words("가 나 다 라", &HashSet::default(), 2),
            "가 나"
        );
    }
}
