//! The English version of a record: an `en:` mapping at the end of a YAML
//! record, or the front matter of a Markdown record's `<id>.en.md`.
//!
//! The English holds only the record's text fields, under the Korean field
//! names; dates, prices, ids and booking rules are written once, in the
//! Korean part. A translation is all or nothing: every text field the Korean
//! has must be there in English (and no other), lists have one English item
//! per Korean item, so `sbiz check` reports a half-filled translation before
//! it can show a page that mixes the languages.
//!
//! Each kind says once which its text fields are ([`Translatable`]: the
//! field's name, its shape, where it goes in the record). The English
//! version is the Korean record with those fields replaced: the reader and
//! the check below read that table, and the English edition
//! (`crate::english`) takes the English versions as they are.

use std::sync::Arc;

use serde::Serialize;

use super::*;
use crate::yaml::Origin;

/// One text field of a kind: its name (the Korean field's), what the
/// English must hold given the Korean, and where it goes in the record.
pub(crate) struct TextField<R> {
    key: &'static str,
    /// Markdown, whose links are checked.
    markdown: bool,
    slot: Slot<R>,
}

enum Slot<R> {
    /// A text both versions have.
    Text(fn(&mut R) -> &mut String),
    /// A text the English has exactly when the Korean's is not blank.
    Blankable(fn(&mut R) -> &mut String),
    /// A text the English has exactly when the Korean has it.
    Optional(fn(&mut R) -> &mut Option<String>),
    /// Texts, one English item per Korean item, in the same order.
    List(fn(&mut R) -> &mut Vec<String>),
    /// Specifications (name and value), one per Korean item.
    Specs(fn(&mut R) -> &mut Vec<Spec>),
}

impl<R> TextField<R> {
    const fn text(key: &'static str, get: fn(&mut R) -> &mut String) -> Self {
        TextField {
            key,
            markdown: false,
            slot: Slot::Text(get),
        }
    }
    const fn markdown(key: &'static str, get: fn(&mut R) -> &mut String) -> Self {
        TextField {
            key,
            markdown: true,
            slot: Slot::Text(get),
        }
    }
    /// Markdown that may be blank in Korean (then absent in English).
    const fn blankable_markdown(key: &'static str, get: fn(&mut R) -> &mut String) -> Self {
        TextField {
            key,
            markdown: true,
            slot: Slot::Blankable(get),
        }
    }
    const fn optional(key: &'static str, get: fn(&mut R) -> &mut Option<String>) -> Self {
        TextField {
            key,
            markdown: false,
            slot: Slot::Optional(get),
        }
    }
    const fn list(key: &'static str, get: fn(&mut R) -> &mut Vec<String>) -> Self {
        TextField {
            key,
            markdown: false,
            slot: Slot::List(get),
        }
    }
    const fn specs(key: &'static str, get: fn(&mut R) -> &mut Vec<Spec>) -> Self {
        TextField {
            key,
            markdown: false,
            slot: Slot::Specs(get),
        }
    }

    /// Reads the English of this field and puts it into `en` (the English
    /// version being made: a copy of the Korean record, or `None` when the
    /// Korean record is not whole, so that only the English's own mistakes
    /// are reported). False when the field is not right.
    fn read(&self, g: &mut Fields<'_>, en: Option<&mut R>) -> bool {
        let key = self.key;
        match self.slot {
            Slot::Text(get) => {
                let v = g.req::<String>(key, en_text());
                self.links(g, v.as_deref());
                put(en, get, v)
            }
            Slot::Blankable(get) => {
                let mut en = en;
                let has = en.as_deref_mut().map(|r| !get(r).trim().is_empty());
                let v = en_paired(g, key, has);
                self.links(g, v.as_ref().and_then(Option::as_deref));
                put(en, get, v.map(Option::unwrap_or_default))
            }
            Slot::Optional(get) => {
                let mut en = en;
                let has = en.as_deref_mut().map(|r| get(r).is_some());
                put(en, get, en_paired(g, key, has))
            }
            Slot::List(get) => {
                let mut en = en;
                let korean = en.as_deref_mut().map(|r| get(r).len());
                let list = same_list(g, key, korean, |g, required| {
                    g.list::<String>(key, required, en_text())
                });
                put(en, get, list)
            }
            Slot::Specs(get) => {
                let mut en = en;
                let korean = en.as_deref_mut().map(|r| get(r).len());
                let list = same_list(g, key, korean, |g, required| {
                    g.list_of(key, required, t!("a specification"), |s| {
                        let name = s.req("name", en_text());
                        let value = s.req("value", en_text());
                        Some(Spec {
                            name: name?,
                            value: value?,
                        })
                    })
                });
                put(en, get, list)
            }
        }
    }

    fn links(&self, g: &Fields<'_>, text: Option<&str>) {
        if let Some(text) = text.filter(|_| self.markdown) {
            markdown_links(g, self.key, text);
        }
    }
}

/// Puts a field's English into the English version; false when there is
/// none (the field was wrong).
fn put<R, T>(en: Option<&mut R>, get: fn(&mut R) -> &mut T, value: Option<T>) -> bool {
    match (value, en) {
        (Some(v), Some(r)) => {
            *get(r) = v;
            true
        }
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// A kind whose records may have an English version.
pub(crate) trait Translatable: Clone + Sized + 'static {
    /// The text fields, in the order they are read (and listed when the
    /// English has an unknown field).
    const TEXT_FIELDS: &'static [TextField<Self>];

    /// The English version.
    fn english(&self) -> Option<&Self>;
    fn english_mut(&mut self) -> &mut Option<Box<Self>>;

    /// The rest of the English version `en` (see [`TextField::read`]): what
    /// is read besides the text fields, or dropped. False when it is wrong.
    fn complete(_g: &mut Fields<'_>, _en: Option<&mut Self>) -> bool {
        true
    }
}

/// A kind written in Markdown, whose English is an `<id>.en.md` file.
pub(crate) trait MarkdownBody: Translatable + HasHead {
    fn body_mut(&mut self) -> &mut String;
}

macro_rules! english_in_en {
    () => {
        fn english(&self) -> Option<&Self> {
            self.en.as_deref()
        }
        fn english_mut(&mut self) -> &mut Option<Box<Self>> {
            &mut self.en
        }
    };
}

impl Translatable for Facility {
    const TEXT_FIELDS: &'static [TextField<Self>] = &[
        TextField::text("name", |r| &mut r.name),
        TextField::text("operator", |r| &mut r.operator),
        TextField::text("address", |r| &mut r.address),
        TextField::text("hours", |r| &mut r.hours),
        TextField::optional("subway", |r| &mut r.subway),
        TextField::text("summary", |r| &mut r.summary),
        TextField::markdown("description", |r| &mut r.description),
    ];
    english_in_en!();
}

impl Translatable for Equipment {
    const TEXT_FIELDS: &'static [TextField<Self>] = &[
        TextField::text("name", |r| &mut r.name),
        TextField::text("summary", |r| &mut r.summary),
        TextField::specs("specs", |r| &mut r.specs),
        TextField::markdown("description", |r| &mut r.description),
        // The English of `booking.eligibility`.
        TextField::text("eligibility", |r| &mut r.rules.eligibility),
    ];
    english_in_en!();
}

impl Translatable for Programme {
    const TEXT_FIELDS: &'static [TextField<Self>] = &[
        TextField::text("title", |r| &mut r.title),
        TextField::text("summary", |r| &mut r.summary),
        TextField::markdown("description", |r| &mut r.description),
        TextField::optional("place", |r| &mut r.place),
    ];
    english_in_en!();

    /// Sessions' titles have no English field yet: the English schedule
    /// shows dates and times only, never Korean text.
    fn complete(_g: &mut Fields<'_>, en: Option<&mut Self>) -> bool {
        for session in en.into_iter().flat_map(|p| p.sessions.iter_mut()) {
            session.title = None;
        }
        true
    }
}

impl Translatable for Policy {
    const TEXT_FIELDS: &'static [TextField<Self>] = &[
        TextField::text("title", |r| &mut r.title),
        TextField::text("agency", |r| &mut r.agency),
        TextField::text("summary", |r| &mut r.summary),
        TextField::text("target", |r| &mut r.target),
        TextField::text("amount", |r| &mut r.amount),
        TextField::list("eligibility", |r| &mut r.eligibility),
        TextField::list("documents", |r| &mut r.documents),
        TextField::optional("how_to_submit", |r| &mut r.how_to_submit),
    ];
    english_in_en!();

    /// The English of the online application form's fields (`form_en`).
    fn complete(g: &mut Fields<'_>, en: Option<&mut Self>) -> bool {
        let form = en.map(|p| {
            let fields = match &p.apply {
                Apply::Form(fields) => fields.as_slice(),
                Apply::Url(_) => &[],
            };
            (fields, &mut p.form_en)
        });
        read_form_en(
            g,
            form,
            t!("no `form:`: the scheme takes no applications on the portal"),
        )
    }
}

impl Translatable for Job {
    const TEXT_FIELDS: &'static [TextField<Self>] = &[
        TextField::text("title", |r| &mut r.title),
        TextField::text("company", |r| &mut r.company),
        TextField::text("position", |r| &mut r.position),
        TextField::text("wage", |r| &mut r.wage),
        TextField::text("hours", |r| &mut r.hours),
        TextField::text("how_to_apply", |r| &mut r.how_to_apply),
        TextField::blankable_markdown("description", |r| &mut r.description),
    ];
    english_in_en!();

    /// The English of the application form's fields (`form_en`).
    fn complete(g: &mut Fields<'_>, en: Option<&mut Self>) -> bool {
        let form = en.map(|j| {
            let fields = j.apply.as_ref().map(|a| a.form.as_slice());
            (fields.unwrap_or_default(), &mut j.form_en)
        });
        read_form_en(
            g,
            form,
            t!("no `form:`: the posting takes no applications on the portal"),
        )
    }
}

impl Translatable for Notice {
    const TEXT_FIELDS: &'static [TextField<Self>] = &[TextField::text("title", |r| &mut r.title)];
    english_in_en!();
}

impl Translatable for Page {
    const TEXT_FIELDS: &'static [TextField<Self>] = &[
        TextField::text("title", |r| &mut r.title),
        TextField::optional("summary", |r| &mut r.summary),
    ];
    english_in_en!();
}

impl Translatable for Term {
    const TEXT_FIELDS: &'static [TextField<Self>] = &[
        TextField::text("name", |r| &mut r.name),
        TextField::optional("description", |r| &mut r.description),
    ];
    english_in_en!();
}

macro_rules! markdown_body {
    ($($t:ty),*) => {$(
        impl MarkdownBody for $t {
            fn body_mut(&mut self) -> &mut String {
                &mut self.body
            }
        }
    )*};
}

markdown_body!(Policy, Notice, Page);

/// Reads the English of a record's text fields (and the rest of its kind)
/// into a copy of `korean`; `None` when anything is missing or wrong, or the
/// Korean record is not whole.
fn read_english<R: Translatable>(g: &mut Fields<'_>, korean: Option<&R>) -> Option<R> {
    let mut en = korean.cloned();
    if let Some(en) = &mut en {
        *en.english_mut() = None;
    }
    let mut whole = true;
    for field in R::TEXT_FIELDS {
        whole &= field.read(g, en.as_mut());
    }
    whole &= R::complete(g, en.as_mut());
    en.filter(|_| whole)
}

/// The record with the English version of its optional `en:` (a YAML
/// record's); the English is read and checked even when the Korean record
/// is not whole.
pub(crate) fn with_english<R: Translatable>(f: &mut Fields<'_>, korean: Option<R>) -> Option<R> {
    let en = f.nested("en", false, t!("the English version"), |g| {
        read_english(g, korean.as_ref())
    });
    korean.map(|mut k| {
        *k.english_mut() = en.map(Box::new);
        k
    })
}

/// Reads a Markdown record's `<id>.en.md` (its front matter in `f`, then its
/// body) into the record's English version.
pub(crate) fn read_markdown_english<R: MarkdownBody>(
    f: &mut Fields<'_>,
    korean: &mut R,
    body: String,
) {
    markdown_links(f, "", &body);
    let en = read_english(f, Some(&*korean)).map(|mut en| {
        *en.body_mut() = body;
        Box::new(en)
    });
    *korean.english_mut() = en;
}

/// Checks a Markdown record's `<id>.en.md` (its front matter in `f`, then
/// its body) when the Korean record gave none: the English's own mistakes,
/// listed in the same run as the Korean's (what the English must hold to
/// match the Korean is checked once the Korean reads).
pub(crate) fn check_markdown_english<R: MarkdownBody>(f: &mut Fields<'_>, body: String) {
    markdown_links(f, "", &body);
    let _ = read_english::<R>(f, None);
}

/// The English version of a Markdown record comes from its own file.
pub(crate) fn english_origin<R: MarkdownBody>(record: &mut R, origin: Arc<Origin>) {
    if let Some(en) = record.english_mut() {
        en.head_mut().origin = origin;
    }
}

/// An application form field's English text.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FormFieldEn {
    pub(crate) label: String,
    pub(crate) hint: Option<String>,
    pub(crate) options: Vec<String>,
}

/// The English texts of a form's fields, by field id, in the form's order.
pub(crate) type FormTextsEn = Vec<(String, FormFieldEn)>;

/// What an English text field is expected to hold.
pub(crate) fn en_text() -> crate::i18n::Text {
    t!("the English text")
}

/// A field the English has exactly when the Korean has it (either, when
/// what the Korean has is not known).
pub(crate) fn en_paired(
    g: &mut Fields<'_>,
    key: &'static str,
    korean_has: Option<bool>,
) -> Option<Option<String>> {
    match korean_has {
        Some(true) => g.req::<String>(key, en_text()).map(Some),
        None => Some(g.opt::<String>(key)),
        Some(false) if g.value_present(key) => {
            g.known(key);
            g.invalid(
                key,
                t!("the English has a field the Korean does not"),
                format!("`{key}`"),
                t!("no `{key}`: the Korean version has none", key = key),
            );
            None
        }
        Some(false) => Some(None),
    }
}

/// A list the English has with one item per Korean item (`korean` of them,
/// when known), in the same order; `read` reads it, required or not.
fn same_list<T>(
    g: &mut Fields<'_>,
    key: &'static str,
    korean: Option<usize>,
    read: impl FnOnce(&mut Fields<'_>, bool) -> Vec<T>,
) -> Option<Vec<T>> {
    let Some(korean) = korean else {
        return Some(read(g, false));
    };
    if korean == 0 && !g.value_present(key) {
        return Some(Vec::new());
    }
    let list = read(g, korean > 0);
    en_same_length(g, key, list.len(), korean).then_some(list)
}

/// A list the English has with one item per Korean item, in the same order.
pub(crate) fn en_same_length(g: &Fields<'_>, key: &str, found: usize, korean: usize) -> bool {
    if found == korean {
        return true;
    }
    g.invalid(
        key,
        t!("the English list and the Korean list differ in length"),
        if found == 1 {
            t!("a list of 1 item")
        } else {
            t!("a list of {n} items", n = found)
        },
        t!(
            "{n} items, one per Korean item, in the same order",
            n = korean
        ),
    );
    false
}

/// Reads the English of a record's application form (`form:`, a job
/// posting's or a policy's) into `form`: the Korean form's fields and where
/// their English goes, `None` when the Korean record is not whole (then
/// there is nothing to check the English against). `no_form` is what is
/// expected of an English that has fields when the Korean has no form.
/// False when a field is missing or wrong.
fn read_form_en(
    g: &mut Fields<'_>,
    form: Option<(&[sbiz_catalog::FormField], &mut FormTextsEn)>,
    no_form: crate::i18n::Text,
) -> bool {
    let Some((fields, form_en)) = form else {
        g.known("form");
        return true;
    };
    match english_form(g, fields, no_form) {
        Some(texts) => {
            *form_en = texts;
            true
        }
        None => false,
    }
}

/// The English of an application form's fields: per field id, in the
/// Korean form's order; `None` when a field is missing or wrong.
fn english_form(
    g: &mut Fields<'_>,
    fields: &[sbiz_catalog::FormField],
    no_form: crate::i18n::Text,
) -> Option<FormTextsEn> {
    let items: Vec<Korean<'_>> = fields
        .iter()
        .map(|f| Korean {
            id: f.id.as_str(),
            hint: f.hint.is_some(),
            options: korean_options(f),
        })
        .collect();
    keyed_english(
        g,
        &items,
        &KeyedTexts {
            key: "form",
            item: t!("an English form field"),
            unknown: t!("no form field with this id"),
            one_of: &|ids| t!("one of the form's field ids: {ids}", ids = ids),
            none: no_form,
            lacks: t!("the English form lacks fields of the Korean form"),
            every: &|ids| t!("every field of the Korean form: {ids}", ids = ids),
        },
    )
}

/// A Korean form field or survey question, as its English is checked
/// against it: its id, whether it has a hint, how many options.
struct Korean<'k> {
    id: &'k str,
    hint: bool,
    options: usize,
}

/// What [`keyed_english`] says about one kind of keyed texts.
struct KeyedTexts<'t> {
    /// The field holding the English by id (`form`, `questions`).
    key: &'static str,
    /// What one entry is.
    item: crate::i18n::Text,
    /// An id the Korean does not have.
    unknown: crate::i18n::Text,
    /// What is expected instead, given the Korean ids.
    one_of: &'t dyn Fn(String) -> crate::i18n::Text,
    /// What is expected when the Korean has no items at all.
    none: crate::i18n::Text,
    /// Ids of the Korean missing from the English.
    lacks: crate::i18n::Text,
    /// What a complete English holds, given the Korean ids.
    every: &'t dyn Fn(String) -> crate::i18n::Text,
}

/// The English of items keyed by the Korean items' ids (a form's fields, a
/// survey's questions): each a label, a hint when the Korean has one and
/// one option per Korean option; in the Korean order. `None` when an item
/// is missing, unknown or wrong (each reported once, at its place).
fn keyed_english(
    g: &mut Fields<'_>,
    items: &[Korean<'_>],
    texts: &KeyedTexts<'_>,
) -> Option<FormTextsEn> {
    let ids: Vec<&str> = items.iter().map(|k| k.id).collect();
    let key = texts.key;
    let mut complete = true;
    // Per item of the Korean that the English names, its English (`None`
    // when wrong); items the Korean does not have are left out.
    let read = g.keyed_map(key, texts.item.clone(), |id, h| {
        let Some(korean) = items.iter().find(|k| k.id == id) else {
            let mut d = h
                .source()
                .at_key(h.here(), texts.unknown.clone())
                .found(format!("`{id}`"))
                .expected(if ids.is_empty() {
                    texts.none.clone()
                } else {
                    (texts.one_of)(ids.join(", "))
                });
            if let Some(s) = crate::diagnostics::suggest(id, ids.iter().copied()) {
                d = d.help(crate::diagnostics::did_you_mean(s));
            }
            h.source().push(d);
            // Its fields are not checked against an item that does not exist.
            for key in ["label", "hint", "options"] {
                h.known(key);
            }
            complete = false;
            return None;
        };
        let label = h.req::<String>("label", en_text());
        let hint = en_paired(h, "hint", Some(korean.hint));
        let options = same_list(h, "options", Some(korean.options), |h, required| {
            h.list::<String>("options", required, en_text())
        });
        Some(
            label
                .zip(hint)
                .zip(options)
                .map(|((label, hint), options)| FormFieldEn {
                    label,
                    hint,
                    options,
                }),
        )
    });
    let texts_en = match read {
        Some(list) => {
            let missing: Vec<&str> = ids
                .iter()
                .copied()
                .filter(|id| !list.iter().any(|(k, _)| k == id))
                .collect();
            if !missing.is_empty() {
                complete = false;
                g.invalid(
                    key,
                    texts.lacks.clone(),
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    (texts.every)(ids.join(", ")),
                );
            }
            // In the Korean order.
            let mut ordered = Vec::new();
            for id in &ids {
                match list.iter().find(|(k, _)| k == id) {
                    Some((k, Some(v))) => ordered.push((k.clone(), v.clone())),
                    _ => complete = false,
                }
            }
            ordered
        }
        None if !ids.is_empty() => {
            if g.is_valid_mapping() && !g.value_present(key) {
                g.missing(key, (texts.every)(ids.join(", ")));
            }
            complete = false;
            Vec::new()
        }
        None => Vec::new(),
    };
    complete.then_some(texts_en)
}

fn korean_options(f: &sbiz_catalog::FormField) -> usize {
    match &f.kind {
        sbiz_catalog::FieldKind::Select { options } => options.len(),
        _ => 0,
    }
}

/// A satisfaction survey's English text. The Korean option stays the
/// stored answer of a choice; the English only labels it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SurveyEn {
    pub(crate) title: String,
    pub(crate) intro: Option<String>,
    /// Per question id, in the Korean survey's order: the label and, for a
    /// choice, one English option per Korean option (same order).
    pub(crate) questions: Vec<(String, FormFieldEn)>,
}

/// A survey's `en:`: the title, the intro when the Korean has one, and
/// under `questions` each question's English by its id.
pub(crate) fn read_survey_en(
    g: &mut Fields<'_>,
    korean_intro: bool,
    questions: &[sbiz_catalog::Question],
) -> Option<SurveyEn> {
    let title = g.req("title", en_text());
    let intro = en_paired(g, "intro", Some(korean_intro));
    let items: Vec<Korean<'_>> = questions
        .iter()
        .map(|q| Korean {
            id: q.id.as_str(),
            hint: false,
            options: match &q.kind {
                sbiz_catalog::QuestionKind::Choice { options } => options.len(),
                _ => 0,
            },
        })
        .collect();
    let questions_en = keyed_english(
        g,
        &items,
        &KeyedTexts {
            key: "questions",
            item: t!("an English question"),
            unknown: t!("no question with this id"),
            one_of: &|ids| t!("one of the survey's question ids: {ids}", ids = ids),
            none: t!("every question of the Korean survey: {ids}", ids = ""),
            lacks: t!("the English survey lacks questions of the Korean survey"),
            every: &|ids| t!("every question of the Korean survey: {ids}", ids = ids),
        },
    );
    Some(SurveyEn {
        title: title?,
        intro: intro?,
        questions: questions_en?,
    })
}

/// The English texts of a form's fields or a survey's questions as the
/// catalog carries them, by id: the label, the hint and each option's
/// English label by its Korean option (the Korean option stays the stored
/// answer). `options_of` gives the Korean item's options by id (`None` for
/// an id the Korean lacks, which `sbiz check` has already reported).
pub(crate) fn catalog_texts<'k>(
    en: &[(String, FormFieldEn)],
    options_of: impl Fn(&str) -> Option<&'k [String]>,
) -> std::collections::BTreeMap<String, sbiz_catalog::FieldText> {
    en.iter()
        .filter_map(|(id, text)| {
            let korean = options_of(id)?;
            Some((
                id.clone(),
                sbiz_catalog::FieldText {
                    label: text.label.clone(),
                    hint: text.hint.clone(),
                    options: korean
                        .iter()
                        .cloned()
                        .zip(text.options.iter().cloned())
                        .collect(),
                },
            ))
        })
        .collect()
}
