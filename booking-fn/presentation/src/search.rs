//! Korean search over the index `sbiz build` writes (`/search/index.json`),
//! shared by the static search page (the form, empty) and the booking
//! function (`GET /api/search?q=…`, the results without JavaScript).
//!
//! The matching is the same as the search page's script
//! (`themes/default/static/js/search.js`): substrings of normalised text,
//! so part of a compound noun finds the whole ("재단기" → 자동재단기); a run of
//! Latin letters or digits and a Hangul run next to it are separate words, in
//! the index and in the query, so "3D프린터" and "3D 프린터" find the same;
//! particles stripped from query words ("센터에서" → 센터); title matches
//! first.

use sbiz_catalog::{Date, Lang};
use serde::{Deserialize, Serialize};

/// Where the index is, relative to the site's output folder, and relative to
/// the folder of `catalog.json` for the function.
pub const INDEX_PATH: &str = "search/index.json";

/// At most this many results are shown.
pub const MAX_RESULTS: usize = 100;

/// The index as `sbiz build` writes it (see `generator/src/render/search.rs`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Index {
    pub kinds: Vec<[String; 2]>,
    pub industries: Vec<[String; 2]>,
    pub districts: Vec<[String; 2]>,
    pub docs: Vec<Doc>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Doc {
    pub k: String,
    pub u: String,
    pub t: String,
    pub s: String,
    /// `[key, label, from, until, label while open]`.
    #[serde(default)]
    pub st: Option<Vec<String>>,
    #[serde(default)]
    pub i: Vec<String>,
    #[serde(default)]
    pub d: Vec<String>,
    pub nt: String,
    pub nk: String,
    pub nb: String,
}

/// What was asked: the search form's fields.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub q: String,
    pub kind: String,
    pub industry: String,
    pub district: String,
}

impl Query {
    fn is_empty(&self) -> bool {
        self.q.trim().is_empty()
            && self.kind.is_empty()
            && self.industry.is_empty()
            && self.district.is_empty()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub key: &'static str,
    pub label: String,
    pub from: String,
    pub until: String,
    pub open: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub kind_name: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub status: Option<Status>,
}

/// The search form and, when something was asked, its results: the
/// `search` variable of `forms/search.html`.
#[derive(Debug, Clone, Serialize)]
pub struct SearchView {
    pub q: String,
    pub kinds: Vec<Choice>,
    pub industries: Vec<Choice>,
    pub districts: Vec<Choice>,
    /// Whether a search was made (then `summary` and `hits` are shown).
    pub searched: bool,
    /// "‘봉제’ · 교육 검색 결과 12건".
    pub summary: String,
    /// How many matched (at most [`MAX_RESULTS`] are in `hits`).
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// Particles, longest first; one is stripped only when two letters remain.
const JOSA: [&str; 35] = [
    "에서부터",
    "으로부터",
    "에서는",
    "에서도",
    "에게서",
    "으로는",
    "이라도",
    "까지",
    "부터",
    "에서",
    "에게",
    "한테",
    "으로",
    "처럼",
    "보다",
    "이나",
    "이랑",
    "하고",
    "께서",
    "마다",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "로",
    "와",
    "과",
    "도",
    "만",
    "나",
    "랑",
];

fn strip(w: &str) -> Option<&str> {
    let n = w.chars().count();
    JOSA.iter().find_map(|j| {
        let jn = j.chars().count();
        (n >= jn + 2 && w.ends_with(j)).then(|| &w[..w.len() - j.len()])
    })
}

/// Lower-cases, drops the marks that join compound terms (의류·봉제 →
/// 의류봉제), turns everything else that is not a letter or a digit into
/// single spaces, and splits a run of ASCII letters and digits from a run of
/// Hangul next to it (3D프린터 → 3d 프린터), so that both spellings of such
/// a term are the same words. The index is normalised the same way.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for_each_word(s, |w| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        true
    });
    out
}

/// Calls `f` with each word of `normalize(s)`, in order, until `f` returns
/// false: what `normalize(s).split(' ')` gives (without the empty word of
/// an empty text), without normalising the rest of a long text.
pub fn for_each_word(s: &str, mut f: impl FnMut(&str) -> bool) {
    for_each_piece(s, |w, _| f(w));
}

/// [`for_each_word`], telling `f` also whether the word was split off the
/// one before it at a boundary between ASCII and Hangul ("3D프린터를" gives
/// `3d`, then `프린터를` glued).
fn for_each_piece(s: &str, mut f: impl FnMut(&str, bool) -> bool) {
    let mut word = String::new();
    // The script of the word's last letter, and whether the word began at
    // a script boundary.
    let mut last = Script::Other;
    let mut glued = false;
    for c in s.chars() {
        match class(c) {
            Class::Join => {}
            Class::Word => {
                let script = Script::of(c);
                if !word.is_empty() && last.splits_from(script) {
                    if !f(&word, glued) {
                        return;
                    }
                    word.clear();
                    glued = true;
                }
                last = script;
                push_lower(&mut word, c);
            }
            Class::Break => {
                if !word.is_empty() {
                    if !f(&word, glued) {
                        return;
                    }
                    word.clear();
                }
                glued = false;
                last = Script::Other;
            }
        }
    }
    if !word.is_empty() {
        f(&word, glued);
    }
}

/// The scripts whose runs are split apart inside a word.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    /// ASCII letters and digits.
    Ascii,
    /// Hangul syllables.
    Hangul,
    /// Any other letter or digit: never splits a word.
    Other,
}

impl Script {
    fn of(c: char) -> Script {
        if c.is_ascii() {
            Script::Ascii
        } else if is_hangul_syllable(c) {
            Script::Hangul
        } else {
            Script::Other
        }
    }

    fn splits_from(self, next: Script) -> bool {
        matches!(
            (self, next),
            (Script::Ascii, Script::Hangul) | (Script::Hangul, Script::Ascii)
        )
    }
}

/// What `normalize` does with a character.
enum Class {
    /// A mark joining the parts of a compound term: dropped.
    Join,
    /// A letter or a digit: kept, lower-cased.
    Word,
    /// Anything else: a break between words.
    Break,
}

/// ASCII and Hangul syllables (nearly all of a Korean site's text) are told
/// apart without Unicode's tables; other characters go through them.
fn class(c: char) -> Class {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            Class::Word
        } else if matches!(c, '/' | '-' | '_' | '\'') {
            Class::Join
        } else {
            Class::Break
        }
    } else if is_hangul_syllable(c) {
        Class::Word
    } else if matches!(c, '·' | '・' | '‧' | '’') {
        Class::Join
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Break
    }
}

/// 가..힣: letters without case.
fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

fn push_lower(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if is_hangul_syllable(c) {
        out.push(c);
    } else {
        out.extend(c.to_lowercase());
    }
}

/// The words of a query, each with its variant without a particle: a
/// particle glued to ASCII ("CNC를") is no word of its own.
fn query_words(q: &str) -> Vec<Vec<String>> {
    let mut words = Vec::new();
    for_each_piece(q, |w, glued| {
        if glued && JOSA.contains(&w) {
            return true;
        }
        words.push(match strip(w) {
            Some(s) => vec![w.to_owned(), s.to_owned()],
            None => vec![w.to_owned()],
        });
        true
    });
    words
}

fn has(field: &str, w: &str) -> bool {
    // As the script: a leading space lets " w" match a word start.
    format!(" {field}").contains(w)
}

/// `(title words matched, score)`, or `None` when a word matches nowhere.
fn score(doc: &Doc, words: &[Vec<String>]) -> Option<(u32, f64)> {
    let (mut total, mut in_title) = (0.0, 0);
    for variants in words {
        let mut best: f64 = 0.0;
        for (v, w) in variants.iter().enumerate() {
            let f = if v == 0 { 1.0 } else { 0.9 };
            let s = if has(&doc.nt, w) {
                100.0
                    + if has(&doc.nt, &format!(" {w}")) {
                        20.0
                    } else {
                        0.0
                    }
                    + if doc.nt == *w { 30.0 } else { 0.0 }
            } else if has(&doc.nk, w) {
                20.0
            } else if has(&doc.nb, w) {
                5.0
            } else {
                0.0
            };
            best = best.max(s * f);
        }
        if best == 0.0 {
            return None;
        }
        if best >= 90.0 {
            in_title += 1;
        }
        total += best;
    }
    Some((in_title, total))
}

fn choices(pairs: &[[String; 2]], current: &str) -> Vec<Choice> {
    pairs
        .iter()
        .map(|[v, l]| Choice {
            value: v.clone(),
            label: l.clone(),
            selected: v == current,
        })
        .collect()
}

fn name_of<'a>(pairs: &'a [[String; 2]], id: &str) -> Option<&'a str> {
    pairs.iter().find(|p| p[0] == id).map(|p| p[1].as_str())
}

/// The status of a record on `today`, labelled as the pages of the
/// index's language label it (the open label comes from the index).
fn status(st: &[String], today: Date, lang: Lang) -> Option<Status> {
    let [_, _, from, until, rest @ ..] = st else {
        return None;
    };
    let (upcoming, open, closed) = match lang {
        Lang::Ko => ("예정", "모집 중", "마감"),
        Lang::En => ("Upcoming", "Open", "Closed"),
    };
    let open = rest.first().cloned().unwrap_or_else(|| open.to_owned());
    let today = today.to_string();
    let (key, label) = if today < *from {
        ("upcoming", upcoming.to_owned())
    } else if today <= *until {
        ("open", open.clone())
    } else {
        ("closed", closed.to_owned())
    };
    Some(Status {
        key,
        label,
        from: from.clone(),
        until: until.clone(),
        open,
    })
}

/// The form (with what was asked kept in it) and the results, in `lang`,
/// the language of the index (each edition has its own).
pub fn search(index: &Index, query: &Query, today: Date, lang: Lang) -> SearchView {
    let mut view = SearchView {
        q: query.q.trim().to_owned(),
        kinds: choices(&index.kinds, &query.kind),
        industries: choices(&index.industries, &query.industry),
        districts: choices(&index.districts, &query.district),
        searched: !query.is_empty(),
        summary: String::new(),
        total: 0,
        hits: Vec::new(),
    };
    if !view.searched {
        return view;
    }
    let words = query_words(&query.q);
    let mut hits: Vec<(u32, f64, usize, &Doc)> = index
        .docs
        .iter()
        .enumerate()
        .filter(|(_, d)| query.kind.is_empty() || d.k == query.kind)
        .filter(|(_, d)| query.industry.is_empty() || d.i.contains(&query.industry))
        .filter(|(_, d)| query.district.is_empty() || d.d.contains(&query.district))
        .filter_map(|(n, d)| score(d, &words).map(|(t, s)| (t, s, n, d)))
        .collect();
    hits.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
    let mut what: Vec<String> = Vec::new();
    if !view.q.is_empty() {
        what.push(format!("‘{}’", view.q));
    }
    what.extend(name_of(&index.kinds, &query.kind).map(str::to_owned));
    what.extend(name_of(&index.industries, &query.industry).map(str::to_owned));
    what.extend(name_of(&index.districts, &query.district).map(str::to_owned));
    view.total = hits.len();
    view.summary = match lang {
        Lang::Ko => format!("{} 검색 결과 {}건", what.join(" · "), hits.len()),
        Lang::En => format!("Results for {}: {}", what.join(" · "), hits.len()),
    };
    view.hits = hits
        .into_iter()
        .take(MAX_RESULTS)
        .map(|(_, _, _, d)| Hit {
            kind_name: name_of(&index.kinds, &d.k).unwrap_or(&d.k).to_owned(),
            url: d.u.clone(),
            title: d.t.clone(),
            summary: d.s.clone(),
            status: d.st.as_deref().and_then(|st| status(st, today, lang)),
        })
        .collect();
    view
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `normalize` as it was written first, one character at a time
    /// through Unicode's tables: the fast paths must give the same text.
    fn normalize_reference(s: &str) -> String {
        let mut out = String::new();
        let mut space = true;
        for c in s.chars() {
            if matches!(c, '·' | '・' | '‧' | '/' | '-' | '_' | '\'' | '’') {
                continue;
            }
            if c.is_alphanumeric() {
                let hangul = ('가'..='힣').contains(&c);
                let prev = out.chars().last();
                let boundary = prev.is_some_and(|p| {
                    (p.is_ascii_alphanumeric() && hangul)
                        || (('가'..='힣').contains(&p) && c.is_ascii_alphanumeric())
                });
                if boundary {
                    out.push(' ');
                }
                out.extend(c.to_lowercase());
                space = false;
            } else if !space {
                out.push(' ');
                space = true;
            }
        }
        if out.ends_with(' ') {
            out.pop();
        }
        out
    }

    #[test]
    fn normalize_matches_the_reference_and_words_split_it() {
        let texts = [
            "",
            "   ",
            "의류·봉제, CNC 가공!",
            "  3D-프린터  ",
            "3D프린터로 CNC가공 A4용지 2026년 ABC가나DEF",
            "İstanbul ÀÉÎ ΣΑΣ ǅ Ⅻ ① ㄱㄴ ᄀ 힣 가 힤 ｶﾅ ＡＢ ٣ 漢字",
            "a - b / c_d 'e' ’f’ g‧h・i",
            "줄\n바꿈\t탭\r\n— em … 점 “인용” (괄호) [대괄호]",
            "--- ·· //",
        ];
        for t in texts {
            let n = normalize(t);
            assert_eq!(n, normalize_reference(t), "{t:?}");
            let mut words = Vec::new();
            for_each_word(t, |w| {
                words.push(w.to_owned());
                true
            });
            let split: Vec<&str> = n.split(' ').filter(|w| !w.is_empty()).collect();
            assert_eq!(words, split, "{t:?}");
        }
        let mut first = Vec::new();
        for_each_word("가 나 다", |w| {
            first.push(w.to_owned());
            false
        });
        assert_eq!(first, ["가"]);
    }

    fn index() -> Index {
        serde_json::from_value(serde_json::json!({
            "kinds": [["equipment", "공용장비"], ["facilities", "지원시설"], ["policies", "지원사업"]],
            "industries": [["apparel", "의류·봉제"]],
            "districts": [["jongno", "종로구"]],
            "docs": [
                {"k": "facilities", "u": "/facilities/a/", "t": "창신 센터", "s": "", "i": ["apparel"], "d": ["jongno"], "nt": "창신 센터", "nk": "지원시설 의류봉제", "nb": ""},
                {"k": "equipment", "u": "/equipment/b/", "t": "자동재단기", "s": "재단", "i": ["apparel"], "d": [], "nt": "자동재단기", "nk": "공용장비", "nb": "재단"},
                {"k": "policies", "u": "/policies/c/", "t": "스마트 공정", "s": "", "st": ["open", "접수 중", "2026-11-01", "2026-12-15", "접수 중"], "i": [], "d": [], "nt": "스마트 공정", "nk": "", "nb": "재단기"}
            ]
        }))
        .expect("index")
    }

    fn q(q: &str) -> Query {
        Query {
            q: q.into(),
            ..Query::default()
        }
    }

    fn day(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn part_of_a_compound_finds_the_whole_and_titles_rank_first() {
        let v = search(&index(), &q("재단기"), day("2026-11-28"), Lang::Ko);
        let urls: Vec<&str> = v.hits.iter().map(|h| h.url.as_str()).collect();
        assert_eq!(urls, ["/equipment/b/", "/policies/c/"]);
        assert_eq!(v.summary, "‘재단기’ 검색 결과 2건");
    }

    #[test]
    fn particles_are_stripped_and_filters_apply() {
        let v = search(&index(), &q("센터에서"), day("2026-11-28"), Lang::Ko);
        assert_eq!(v.total, 1);
        let v = search(
            &index(),
            &Query {
                kind: "equipment".into(),
                ..q("재단")
            },
            day("2026-11-28"),
            Lang::Ko,
        );
        assert_eq!(v.total, 1);
        assert!(v.kinds.iter().any(|c| c.selected && c.value == "equipment"));
        assert_eq!(v.summary, "‘재단’ · 공용장비 검색 결과 1건");
    }

    #[test]
    fn status_follows_today_with_the_kind_s_label() {
        let at = |d| {
            search(&index(), &q("스마트"), day(d), Lang::Ko).hits[0]
                .status
                .clone()
        };
        assert_eq!(at("2026-11-28").map(|s| s.label), Some("접수 중".into()));
        assert_eq!(at("2026-12-16").map(|s| s.label), Some("마감".into()));
        assert_eq!(at("2026-10-01").map(|s| s.label), Some("예정".into()));
    }

    #[test]
    fn latin_and_hangul_runs_are_words_of_their_own() {
        assert_eq!(normalize("3D프린터"), "3d 프린터");
        assert_eq!(normalize("시제품용 3D-프린터"), "시제품용 3d 프린터");
        assert_eq!(normalize("CNC가공기 A4"), "cnc 가공기 a4");
        // Titles written either way, normalised as the index writer does.
        let doc = |u: &str, t: &str| {
            serde_json::json!({"k": "equipment", "u": u, "t": t, "s": "", "nt": normalize(t),
                "nk": normalize("공용장비"), "nb": ""})
        };
        let index: Index = serde_json::from_value(serde_json::json!({
            "kinds": [["equipment", "공용장비"]], "industries": [], "districts": [],
            "docs": [doc("/a/", "시제품용 3D 프린터"), doc("/b/", "3D프린터실"),
                     doc("/c/", "3D 스캐너"), doc("/d/", "레이저 커터")]
        }))
        .expect("index");
        let urls = |query: &str| -> Vec<String> {
            search(&index, &q(query), day("2026-11-28"), Lang::Ko)
                .hits
                .into_iter()
                .map(|h| h.url)
                .collect()
        };
        assert_eq!(urls("3D프린터"), ["/a/", "/b/"]);
        assert_eq!(urls("3D 프린터"), urls("3D프린터"));
        assert_eq!(urls("3d프린터로"), urls("3D프린터"));
        // A particle glued to Latin letters is not a word to find.
        assert_eq!(urls("3D를"), ["/a/", "/b/", "/c/"]);
    }

    #[test]
    fn nothing_asked_is_no_search() {
        let v = search(&index(), &q("  "), day("2026-11-28"), Lang::Ko);
        assert!(!v.searched && v.hits.is_empty());
        // The English edition's index answers in English: the summary and
        // the statuses the index does not carry.
        let v = search(&index(), &q("스마트"), day("2026-12-16"), Lang::En);
        assert_eq!(v.summary, "Results for ‘스마트’: 1");
        assert_eq!(
            v.hits[0].status.as_ref().map(|s| s.label.as_str()),
            Some("Closed")
        );
        let v = search(&index(), &q("  "), day("2026-11-28"), Lang::Ko);
        assert!(!v.searched && v.hits.is_empty());
    }
}
