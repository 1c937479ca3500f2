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

use super::entries::Entry;
use super::templates::Tr;
use crate::model::{Kind, Taxonomy};
use crate::site::Site;

/// The sets of words of one record: of short strings, looked up once per
/// word of every body on every build, where SipHash showed in profiles.
type HashSet<T> = foldhash::HashSet<T>;

/// At most this many distinct body words per record.
const MAX_BODY_WORDS: usize = 300;

#[derive(Serialize)]
struct Index<'a> {
    /// `[section, name]` of every kind, in display order, in the index's language.
    kinds: Vec<[String; 2]>,
    /// `[id, name]` of every industry.
    industries: Vec<[&'a str; 2]>,
    /// `[id, name]` of every district.
    districts: Vec<[&'a str; 2]>,
    docs: Vec<Doc<'a>>,
}

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

fn term_ids(e: &Entry, tax: Taxonomy) -> Vec<&str> {
    let mut v: Vec<&str> = Vec::new();
    for (t, id) in &e.terms {
        if *t == tax && !v.contains(&id.as_str()) {
            v.push(id.as_str());
        }
    }
    v
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

/// The search index as JSON bytes, in the language of `tr`: the English
/// edition's index (`/en/search/index.json`) holds only its English pages.
pub(crate) fn index(site: &Site, entries: &[Entry], tr: Tr<'_>) -> Vec<u8> {
    let term_pairs = |tax: Taxonomy| -> Vec<[&str; 2]> {
        site.terms(tax)
            .iter()
            .map(|t| [t.id.as_str(), t.name.as_str()])
            .collect()
    };
    let docs = entries
        .iter()
        .map(|e| {
            let c = &e.card;
            let mut keywords = vec![c.kind_name.clone(), c.summary.clone()];
            keywords.extend(c.facts.iter().map(|f| f.value.clone()));
            for (tax, id) in &e.terms {
                if let Some(t) = site.term(*tax, id) {
                    keywords.push(t.name.clone());
                }
            }
            let nt = normalize(&c.title);
            let nk = distinct_words(&keywords.join(" "), &HashSet::default(), usize::MAX);
            let skip: HashSet<&str> = nt.split(' ').chain(nk.split(' ')).collect();
            let nb = distinct_words(&e.text, &skip, MAX_BODY_WORDS);
            Doc {
                k: e.kind.section(),
                u: tr.lang.path(&c.url),
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
                i: term_ids(e, Taxonomy::Industries),
                d: term_ids(e, Taxonomy::Districts),
                nt,
                nk,
                nb,
            }
        })
        .collect();
    let index = Index {
        kinds: Kind::ALL
            .iter()
            .map(|k| [k.section().to_owned(), tr.kind(*k)])
            .collect(),
        industries: term_pairs(Taxonomy::Industries),
        districts: term_pairs(Taxonomy::Districts),
        docs,
    };
    serde_json::to_vec(&index).unwrap_or_else(|_| unreachable!("the index serialises"))
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
