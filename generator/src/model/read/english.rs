//! The English version of a record: an `en:` mapping at the end of a YAML
//! record, or the front matter of a Markdown record's `<id>.en.md`.
//!
//! The English holds only the record's text fields, under the Korean field
//! names; dates, prices, ids and booking rules are written once, in the
//! Korean part. A translation is all or nothing: every text field the Korean
//! has must be there in English (and no other), lists have one English item
//! per Korean item, so `sbiz check` reports a half-filled translation before
//! it can show a page that mixes the languages.

use serde::Serialize;

use super::*;

/// A facility's English text.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FacilityEn {
    pub(crate) name: String,
    pub(crate) operator: String,
    pub(crate) address: String,
    pub(crate) hours: String,
    pub(crate) subway: Option<String>,
    pub(crate) summary: String,
    pub(crate) description: String,
}

/// A piece of equipment's English text.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EquipmentEn {
    pub(crate) name: String,
    pub(crate) summary: String,
    pub(crate) specs: Vec<Spec>,
    pub(crate) description: String,
    /// The English of `booking.eligibility`.
    pub(crate) eligibility: String,
}

/// An application form field's English text.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FormFieldEn {
    pub(crate) label: String,
    pub(crate) hint: Option<String>,
    pub(crate) options: Vec<String>,
}

/// A job posting's English text.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct JobEn {
    pub(crate) title: String,
    pub(crate) company: String,
    pub(crate) position: String,
    pub(crate) wage: String,
    pub(crate) hours: String,
    pub(crate) how_to_apply: String,
    pub(crate) description: String,
    /// Per form field id, in the Korean form's order.
    pub(crate) form: Vec<(String, FormFieldEn)>,
}

/// A programme's English text.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ProgrammeEn {
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) description: String,
    pub(crate) place: Option<String>,
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

/// A policy's English text (from `<id>.en.md`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PolicyEn {
    pub(crate) title: String,
    pub(crate) agency: String,
    pub(crate) summary: String,
    pub(crate) target: String,
    pub(crate) amount: String,
    pub(crate) eligibility: Vec<String>,
    pub(crate) documents: Vec<String>,
    pub(crate) body: String,
    /// Where the English file is, for messages about its body.
    #[serde(skip)]
    pub(crate) origin: Option<std::sync::Arc<crate::yaml::Origin>>,
}

/// A notice's or page's English text (from `<id>.en.md`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DocumentEn {
    pub(crate) title: String,
    pub(crate) summary: Option<String>,
    pub(crate) body: String,
    /// Where the English file is, for messages about its body.
    #[serde(skip)]
    pub(crate) origin: Option<std::sync::Arc<crate::yaml::Origin>>,
}

/// A taxonomy term's English.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermEn {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
}

fn text() -> crate::i18n::Text {
    t!("the English text")
}

/// A field the English has exactly when the Korean has it.
fn paired(g: &mut Fields<'_>, key: &'static str, korean_has: bool) -> Option<Option<String>> {
    if korean_has {
        return g.req::<String>(key, text()).map(Some);
    }
    if g.value_present(key) {
        g.known(key);
        g.invalid(
            key,
            t!("the English has a field the Korean does not"),
            format!("`{key}`"),
            t!("no `{key}`: the Korean version has none", key = key),
        );
        return None;
    }
    Some(None)
}

/// A list the English has with one item per Korean item, in the same order.
fn same_length(g: &Fields<'_>, key: &str, found: usize, korean: usize) -> bool {
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

/// Reads the optional `en:` of a YAML record with `read`.
pub(crate) fn english<T>(
    f: &mut Fields<'_>,
    read: impl FnOnce(&mut Fields<'_>) -> Option<T>,
) -> Option<T> {
    f.nested("en", false, t!("the English version"), read)
}

pub(crate) fn read_facility_en(g: &mut Fields<'_>, korean_subway: bool) -> Option<FacilityEn> {
    let name = g.req("name", text());
    let operator = g.req("operator", text());
    let address = g.req("address", text());
    let hours = g.req("hours", text());
    let subway = paired(g, "subway", korean_subway);
    let summary = g.req("summary", text());
    let description = g.req::<String>("description", text());
    if let Some(d) = &description {
        markdown_links(g, "description", d);
    }
    Some(FacilityEn {
        name: name?,
        operator: operator?,
        address: address?,
        hours: hours?,
        subway: subway?,
        summary: summary?,
        description: description?,
    })
}

pub(crate) fn read_equipment_en(g: &mut Fields<'_>, korean_specs: usize) -> Option<EquipmentEn> {
    let name = g.req("name", text());
    let summary = g.req("summary", text());
    let specs = if korean_specs > 0 || g.value_present("specs") {
        let specs = g.list_of("specs", korean_specs > 0, t!("a specification"), |s| {
            let name = s.req("name", text());
            let value = s.req("value", text());
            Some(Spec {
                name: name?,
                value: value?,
            })
        });
        same_length(g, "specs", specs.len(), korean_specs).then_some(specs)
    } else {
        Some(Vec::new())
    };
    let description = g.req::<String>("description", text());
    if let Some(d) = &description {
        markdown_links(g, "description", d);
    }
    let eligibility = g.req("eligibility", text());
    Some(EquipmentEn {
        name: name?,
        summary: summary?,
        specs: specs?,
        description: description?,
        eligibility: eligibility?,
    })
}

pub(crate) fn read_job_en(
    g: &mut Fields<'_>,
    korean_description: bool,
    form: Option<&[sbiz_catalog::FormField]>,
) -> Option<JobEn> {
    let title = g.req("title", text());
    let company = g.req("company", text());
    let position = g.req("position", text());
    let wage = g.req("wage", text());
    let hours = g.req("hours", text());
    let how_to_apply = g.req("how_to_apply", text());
    let description = paired(g, "description", korean_description);
    if let Some(Some(d)) = &description {
        markdown_links(g, "description", d);
    }
    let fields = form.unwrap_or_default();
    let ids: Vec<&str> = fields.iter().map(|f| f.id.as_str()).collect();
    let read = g.keyed_map("form", t!("an English form field"), |id, h| {
        let Some(korean) = fields.iter().find(|f| f.id.as_str() == id) else {
            let mut d = h
                .source()
                .at_key(h.here(), t!("no form field with this id"))
                .found(format!("`{id}`"))
                .expected(if ids.is_empty() {
                    t!("no `form:`: the posting takes no applications on the portal")
                } else {
                    t!("one of the form's field ids: {ids}", ids = ids.join(", "))
                });
            if let Some(s) = crate::diagnostics::suggest(id, ids.iter().copied()) {
                d = d.help(crate::diagnostics::did_you_mean(s));
            }
            h.source().push(d);
            // Its fields are not checked against a field that does not exist.
            for key in ["label", "hint", "options"] {
                h.known(key);
            }
            return None;
        };
        let label = h.req::<String>("label", text());
        let hint = paired(h, "hint", korean.hint.is_some());
        let korean_options = korean_options(korean);
        let options = if korean_options > 0 || h.value_present("options") {
            let list = h.list::<String>("options", korean_options > 0, text());
            same_length(h, "options", list.len(), korean_options).then_some(list)
        } else {
            Some(Vec::new())
        };
        Some(FormFieldEn {
            label: label?,
            hint: hint?,
            options: options?,
        })
    });
    let mut complete = true;
    let form_en = match read {
        Some(list) => {
            let missing: Vec<&str> = ids
                .iter()
                .copied()
                .filter(|id| !list.iter().any(|(k, _)| k == id))
                .collect();
            if !missing.is_empty() {
                complete = false;
                g.invalid(
                    "form",
                    t!("the English form lacks fields of the Korean form"),
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    t!(
                        "every field of the Korean form: {ids}",
                        ids = ids.join(", ")
                    ),
                );
            }
            // In the Korean form's order.
            let mut ordered = Vec::new();
            for id in &ids {
                if let Some((k, v)) = list.iter().find(|(k, _)| k == id) {
                    ordered.push((k.clone(), v.clone()));
                }
            }
            if ordered.len() != list.len() {
                complete = false;
            }
            ordered
        }
        None if !ids.is_empty() => {
            if g.is_valid_mapping() && !g.value_present("form") {
                let mut d = g
                    .source()
                    .at_key(g.here(), t!("missing required field `{key}`", key = "form"))
                    .expected(t!(
                        "every field of the Korean form: {ids}",
                        ids = ids.join(", ")
                    ));
                d.field = g.path_of("form");
                g.source().push(d);
            }
            complete = false;
            Vec::new()
        }
        None => Vec::new(),
    };
    let form_en = complete.then_some(form_en);
    Some(JobEn {
        title: title?,
        company: company?,
        position: position?,
        wage: wage?,
        hours: hours?,
        how_to_apply: how_to_apply?,
        description: description?.unwrap_or_default(),
        form: form_en?,
    })
}

fn korean_options(f: &sbiz_catalog::FormField) -> usize {
    match &f.kind {
        sbiz_catalog::FieldKind::Select { options } => options.len(),
        _ => 0,
    }
}

pub(crate) fn read_programme_en(g: &mut Fields<'_>, korean_place: bool) -> Option<ProgrammeEn> {
    let title = g.req("title", text());
    let summary = g.req("summary", text());
    let description = g.req::<String>("description", text());
    if let Some(d) = &description {
        markdown_links(g, "description", d);
    }
    let place = paired(g, "place", korean_place);
    Some(ProgrammeEn {
        title: title?,
        summary: summary?,
        description: description?,
        place: place?,
    })
}

/// A survey's `en:`: the title, the intro when the Korean has one, and
/// under `questions` each question's English by its id.
pub(crate) fn read_survey_en(
    g: &mut Fields<'_>,
    korean_intro: bool,
    questions: &[sbiz_catalog::Question],
) -> Option<SurveyEn> {
    let title = g.req("title", text());
    let intro = paired(g, "intro", korean_intro);
    let ids: Vec<&str> = questions.iter().map(|q| q.id.as_str()).collect();
    let read = g.keyed_map("questions", t!("an English question"), |id, h| {
        let Some(korean) = questions.iter().find(|q| q.id.as_str() == id) else {
            let mut d = h
                .source()
                .at_key(h.here(), t!("no question with this id"))
                .found(format!("`{id}`"))
                .expected(t!(
                    "one of the survey's question ids: {ids}",
                    ids = ids.join(", ")
                ));
            if let Some(s) = crate::diagnostics::suggest(id, ids.iter().copied()) {
                d = d.help(crate::diagnostics::did_you_mean(s));
            }
            h.source().push(d);
            // Its fields are not checked against a question that does not exist.
            for key in ["label", "options"] {
                h.known(key);
            }
            return None;
        };
        let label = h.req::<String>("label", text());
        let korean_options = match &korean.kind {
            sbiz_catalog::QuestionKind::Choice { options } => options.len(),
            _ => 0,
        };
        let options = if korean_options > 0 || h.value_present("options") {
            let list = h.list::<String>("options", korean_options > 0, text());
            same_length(h, "options", list.len(), korean_options).then_some(list)
        } else {
            Some(Vec::new())
        };
        // A question that is there but has a mistake is not also missing.
        Some(label.zip(options).map(|(label, options)| FormFieldEn {
            label,
            hint: None,
            options,
        }))
    });
    let every = || {
        t!(
            "every question of the Korean survey: {ids}",
            ids = ids.join(", ")
        )
    };
    let questions_en = match read {
        Some(list) => {
            let missing: Vec<String> = ids
                .iter()
                .filter(|id| !list.iter().any(|(k, _)| k == *id))
                .map(|m| format!("`{m}`"))
                .collect();
            if !missing.is_empty() {
                g.invalid(
                    "questions",
                    t!("the English survey lacks questions of the Korean survey"),
                    missing.join(", "),
                    every(),
                );
            }
            // In the Korean survey's order; complete only when every
            // question is there, known and read without a mistake.
            let ordered: Vec<(String, FormFieldEn)> = ids
                .iter()
                .filter_map(|id| {
                    let (k, text) = list.iter().find(|(k, _)| k == id)?;
                    Some((k.clone(), text.clone()?))
                })
                .collect();
            (missing.is_empty() && ordered.len() == list.len()).then_some(ordered)
        }
        None => {
            if g.is_valid_mapping() && !g.value_present("questions") {
                let mut d = g
                    .source()
                    .at_key(
                        g.here(),
                        t!("missing required field `{key}`", key = "questions"),
                    )
                    .expected(every());
                d.field = g.path_of("questions");
                g.source().push(d);
            }
            None
        }
    };
    Some(SurveyEn {
        title: title?,
        intro: intro?,
        questions: questions_en?,
    })
}

pub(crate) fn read_policy_en(
    g: &mut Fields<'_>,
    korean: &Policy,
    body: String,
) -> Option<PolicyEn> {
    markdown_links(g, "", &body);
    let title = g.req("title", text());
    let agency = g.req("agency", text());
    let summary = g.req("summary", text());
    let target = g.req("target", text());
    let amount = g.req("amount", text());
    let eligibility = g.list::<String>("eligibility", true, text());
    let eligibility_ok = same_length(
        g,
        "eligibility",
        eligibility.len(),
        korean.eligibility.len(),
    );
    let documents = if korean.documents.is_empty() && !g.value_present("documents") {
        Vec::new()
    } else {
        g.list::<String>("documents", !korean.documents.is_empty(), text())
    };
    let documents_ok = same_length(g, "documents", documents.len(), korean.documents.len());
    Some(PolicyEn {
        title: title?,
        agency: agency?,
        summary: summary?,
        target: target?,
        amount: amount?,
        eligibility: eligibility_ok.then_some(eligibility)?,
        documents: documents_ok.then_some(documents)?,
        body,
        origin: None,
    })
}

/// A page's or notice's `.en.md`: the title, and the summary when the
/// Korean has one.
pub(crate) fn read_document_en(
    g: &mut Fields<'_>,
    korean_summary: Option<bool>,
    body: String,
) -> Option<DocumentEn> {
    markdown_links(g, "", &body);
    let title = g.req("title", text());
    let summary = match korean_summary {
        Some(has) => paired(g, "summary", has),
        None => Some(None),
    };
    Some(DocumentEn {
        title: title?,
        summary: summary?,
        body,
        origin: None,
    })
}

pub(crate) fn read_term_en(g: &mut Fields<'_>, korean_description: bool) -> Option<TermEn> {
    let name = g.req("name", text());
    let description = paired(g, "description", korean_description);
    Some(TermEn {
        name: name?,
        description: description?,
    })
}
