//! Surveys and the fields of application forms.

use crate::t;
use sbiz_catalog::{FieldKind, FormField, Question, QuestionKind, Survey};

use super::*;

pub(crate) fn read_survey(f: &mut Fields<'_>, head: Head) -> Option<SurveyDef> {
    let title = f.req::<String>("title", t!("the survey's title"));
    let target = f.req::<SurveyTarget>("target", t!("`equipment` or `programme`"));
    // Checked as text, but shown nowhere yet: the catalog's survey has no
    // intro (the compiler's dead-code report found it). Its English is
    // required exactly when it is there.
    let intro = f.opt::<String>("intro");
    let questions = f.list_of("questions", true, t!("a question"), |q| {
        let id = q.req::<Id>("id", t!("the question's id"));
        let label = q.req::<String>("label", t!("the question text"));
        let required = q.or("required", true);
        let kind = q.req::<String>("type", t!("`rating`, `choice` or `text`"));
        let kind = match kind.as_deref() {
            Some("rating") => {
                let scale = q.or::<u8>("scale", 5);
                if !(2..=10).contains(&scale) {
                    q.invalid(
                        "scale",
                        t!("scale out of range"),
                        scale.to_string(),
                        t!("a number from 2 to 10"),
                    );
                }
                QuestionKind::Rating { scale }
            }
            Some("choice") => QuestionKind::Choice {
                options: options(q)?,
            },
            Some("text") => QuestionKind::Text {
                max_length: q.or("max_length", 1000),
            },
            Some(other) => {
                q.invalid(
                    "type",
                    t!("unknown question type"),
                    format!("{other:?}"),
                    t!("one of: `rating` `choice` `text`"),
                );
                return None;
            }
            None => return None,
        };
        Some(Question {
            id: id?,
            label: label?,
            required,
            kind,
        })
    });
    unique_ids(f, "questions", questions.iter().map(|q| &q.id));
    let en = f.nested("en", false, t!("the English version"), |g| {
        read_survey_en(g, intro.is_some(), &questions)
    });
    Some(SurveyDef {
        survey: Survey {
            id: head.id.clone(),
            title: title?,
            target: target?,
            title_en: en.as_ref().map(|en| en.title.clone()),
            questions_en: en
                .as_ref()
                .map(|en| question_texts(&questions, &en.questions))
                .unwrap_or_default(),
            questions,
        },
        head,
    })
}

/// The English of a survey's questions as the catalog carries them.
fn question_texts(
    questions: &[Question],
    en: &[(String, FormFieldEn)],
) -> std::collections::BTreeMap<String, sbiz_catalog::FieldText> {
    catalog_texts(en, |id| {
        let q = questions.iter().find(|q| q.id.as_str() == id)?;
        Some(match &q.kind {
            QuestionKind::Choice { options } => options.as_slice(),
            _ => &[],
        })
    })
}

fn options(f: &mut Fields<'_>) -> Option<Vec<String>> {
    let opts = f.list::<String>("options", true, t!("choices"));
    let mut seen = std::collections::HashSet::new();
    for (i, o) in opts.iter().enumerate() {
        if !seen.insert(o) {
            f.invalid(
                &format!("options[{i}]"),
                t!("the same choice is listed twice"),
                format!("{o:?}"),
                t!("each choice once"),
            );
        }
    }
    if opts.len() < 2 && f.value_present("options") {
        f.invalid(
            "options",
            t!("too few choices"),
            t!("{n} choice(s)", n = opts.len()),
            t!("at least two choices"),
        );
        return None;
    }
    (!opts.is_empty()).then_some(opts)
}

/// Field ids that every application form already asks for.
pub(crate) const RESERVED_FIELD_IDS: [&str; 6] = [
    "name",
    "phone",
    "business_name",
    "email",
    "consent",
    "website",
];

pub(super) fn read_form_field(q: &mut Fields<'_>) -> Option<FormField> {
    let id = q.req::<Id>("id", t!("the field's id"));
    if let Some(i) = &id
        && RESERVED_FIELD_IDS.contains(&i.as_str())
    {
        q.invalid(
            "id",
            t!("this field is already on every form"),
            format!("`{i}`"),
            t!("an id other than name, phone, business_name, email, consent, website"),
        );
    }
    let label = q.req::<String>("label", t!("the field's label"));
    let required = q.or("required", false);
    let hint = q.opt("hint");
    let kind = q.req::<String>(
        "type",
        t!("`text`, `textarea`, `number`, `date`, `select` or `checkbox`"),
    );
    let kind = match kind.as_deref() {
        Some("text") => FieldKind::Text {
            max_length: q.or("max_length", 200),
        },
        Some("textarea") => FieldKind::Textarea {
            max_length: q.or("max_length", 2000),
        },
        Some("number") => {
            let (min, max) = (q.opt::<i64>("min"), q.opt::<i64>("max"));
            if let (Some(a), Some(b)) = (min, max)
                && b < a
            {
                q.invalid(
                    "max",
                    t!("`max` is less than `min`"),
                    b.to_string(),
                    t!("at least min ({n})", n = a),
                );
            }
            FieldKind::Number { min, max }
        }
        Some("date") => {
            let (min, max) = (q.opt::<Date>("min"), q.opt::<Date>("max"));
            check_order(q, "min", min, "max", max);
            FieldKind::Date { min, max }
        }
        Some("select") => FieldKind::Select {
            options: options(q)?,
        },
        Some("checkbox") => FieldKind::Checkbox,
        Some(other) => {
            q.invalid(
                "type",
                t!("unknown field type (file uploads are not supported)"),
                format!("{other:?}"),
                t!("one of: `text` `textarea` `number` `date` `select` `checkbox`"),
            );
            return None;
        }
        None => return None,
    };
    Some(FormField {
        id: id?,
        label: label?,
        required,
        hint,
        kind,
    })
}
