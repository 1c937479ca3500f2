//! The admin page (예약·신청 관리): its lists with their filters, pages and
//! actions, the search, and what else the staff member's scope shows.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use sbiz_presentation::forms;

use super::admin_actions::{application_actions, reservation_actions, row};
use super::admin_filters::{application_filter, page_queries, reservation_filter};
use super::after_action::{done_notice, html_form};
use super::staff_auth::{scope, staff_action};
use super::staff_scope;
use crate::Result;
use crate::api::answer::{AdminAnswer, AdminFilter, AdminJob, Answer, Choice, Echo, Pager, Row};
use crate::api::reply::{Ctx, Reply};
use crate::api::requests::Query;
use crate::api::state::AppState;
use crate::api::views;
use crate::domain::{ApplicationStatus, Reservation, ReservationStatus};
use crate::service::{self, StaffScope};
use crate::store::ReservationFilter;
use sbiz_catalog::Date;

/// The admin page: reservations, applications (filtered), actions, CSV
/// links and survey summaries, for the signed-in staff member's scope.
pub(crate) async fn dashboard(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    q: Query,
) -> Response {
    let mut ctx = ctx.page_only(&app);
    let s = match scope(&app, &headers).await {
        Ok(s) => s,
        Err(e) => {
            ctx.echo = Some(Echo {
                form: forms::admin_login(),
                values: Default::default(),
            });
            return ctx.reply(Err(e));
        }
    };
    let search = q
        .get("q")
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    let reply = match search {
        Some(text) => {
            let found = app.service().staff_search(&s, &text).await;
            admin_page(&app, &s, &q, Some((text, found))).await
        }
        None => admin_page(&app, &s, &q, None).await,
    };
    ctx.reply(reply)
}

/// The search form of the admin page (a post, so that a phone number never
/// appears in a URL): a code is redirected to the page with `?q=CODE`; a
/// phone number answers the page with that person's records at once.
pub(crate) async fn search(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Response {
    // API clients (JSON) get the records; browsers the admin page.
    let page = ctx.html() || html_form(&headers);
    let ctx = if page { ctx.page_only(&app) } else { ctx };
    let mut ret = None;
    let result = async {
        let (m, body) = staff_action(&app, &headers, body, &mut ret).await?;
        let s = m.scope;
        let input = app.input(&headers, body).await?;
        let text = input
            .fields()?
            .get("q")
            .map(|v| v.trim().to_owned())
            .unwrap_or_default();
        if !page {
            let found = app.service().staff_search(&s, &text).await?;
            let cat = app.catalog();
            let now = app.service().now().at;
            return Ok(Reply::ok(Answer::Found {
                reservations: found
                    .reservations
                    .iter()
                    .map(|r| views::reservation(&cat, r, now, true))
                    .collect(),
                applications: found
                    .applications
                    .iter()
                    .map(|a| views::application(&cat, a, now, None, true))
                    .collect(),
            }));
        }
        if let Ok(code) = text.parse::<crate::domain::ReservationCode>() {
            return Ok(Reply::see_other(&format!(
                "/api/admin/dashboard?q={}",
                code
            )));
        }
        let found = app.service().staff_search(&s, &text).await;
        let status = if found.is_err() { 422 } else { 200 };
        let reply = admin_page(
            &app,
            &s,
            &axum::extract::Query(Default::default()),
            Some((text, found)),
        )
        .await?;
        Ok(if status == 422 {
            reply.with_code(axum::http::StatusCode::UNPROCESSABLE_ENTITY)
        } else {
            reply
        })
    }
    .await;
    ctx.returning(ret).reply(result)
}

/// What applications are for, as the admin page's 신청 대상 filter offers
/// them (`programme:<id>`, …): the scope's programmes and job postings,
/// and for `*` staff the policies too (their applications belong to no
/// facility).
fn application_targets(cat: &sbiz_catalog::Catalog, s: &StaffScope) -> Vec<Choice> {
    let choice = |kind: &str, id: &sbiz_catalog::Id, what: &str, title: &str| Choice {
        value: format!("{kind}:{id}"),
        label: format!("{what}: {title}"),
    };
    let programmes = cat
        .programmes
        .iter()
        .filter(|p| s.covers(Some(&p.facility)))
        .map(|p| choice("programme", &p.id, "교육", &p.title));
    let policies = cat
        .policies
        .iter()
        .filter(|p| *s == StaffScope::All && p.form.is_some())
        .map(|p| choice("policy", &p.id, "지원사업", &p.title));
    let jobs = cat
        .jobs
        .iter()
        .filter(|j| s.covers(Some(&j.facility)))
        .map(|j| choice("job", &j.id, "구인", &j.title));
    programmes.chain(policies).chain(jobs).collect()
}

/// A search of the admin page: what was typed and what it found.
type Search = (String, Result<crate::store::PersonRecords>);

async fn admin_page(
    app: &AppState,
    s: &StaffScope,
    q: &Query,
    search: Option<Search>,
) -> Result<Reply> {
    let cat = app.catalog();
    let now = app.service().now().at;
    let get = |k: &str| q.get(k).map(|v| v.trim()).unwrap_or("").to_owned();
    let (rq, aq) = page_queries(q);
    let rfilter = reservation_filter(&axum::extract::Query(rq.clone()), app.service().now().date)?;
    let afilter = application_filter(&axum::extract::Query(aq.clone()))?;
    let (mut search_text, mut search_error) = (String::new(), None);
    let (reservations, applications) = match search {
        Some((text, found)) => {
            search_text = text;
            match found {
                Ok(found) => (found.reservations, found.applications),
                Err(e) => {
                    search_error = Some(
                        e.field_errors()
                            .and_then(|f| f.get("q"))
                            .map_or_else(|| e.message(), |m| m.korean().into_owned()),
                    );
                    (Vec::new(), Vec::new())
                }
            }
        }
        None => (
            app.service().staff_reservations(s, rfilter).await?,
            app.service().staff_applications(s, afilter).await?,
        ),
    };
    let page_param = |k: &str| {
        q.get(k)
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(1)
    };
    let today = app.service().now().date;
    // Without a page, dates or a search, the reservations open at today's.
    let first_page = if q.get("page").is_none()
        && get("from").is_empty()
        && get("to").is_empty()
        && search_text.is_empty()
    {
        landing_page(&reservations, today)
    } else {
        page_param("page")
    };
    let landed = first_page > 1 && q.get("page").is_none();
    let reservations_total = reservations.len();
    let applications_total = applications.len();
    let (reservations, rpage, rpages) = service::page_of(reservations, first_page);
    let (applications, apage, apages) = service::page_of(applications, page_param("apage"));
    let reservations: Vec<Row<_>> = reservations
        .iter()
        .map(|r| {
            row(
                views::reservation(&cat, r, now, true),
                reservation_actions(r, now),
            )
        })
        .collect();
    let markable = reservations.iter().filter(|x| x.markable).count();
    // Where each waiting enrolment of the page stands in its waitlist.
    let mut waiting = Vec::with_capacity(applications.len());
    for a in &applications {
        waiting.push(app.service().waiting_before(a).await?);
    }
    let applications: Vec<Row<_>> = applications
        .iter()
        .zip(waiting)
        .map(|(a, before)| {
            let record = views::application(&cat, a, now, before, true);
            row(record, application_actions(&cat, a, now))
        })
        .collect();
    let amarkable = applications.iter().filter(|x| x.markable).count();
    let mut surveys = Vec::new();
    for survey in &cat.surveys {
        surveys.push(
            app.service()
                .survey_summary(&cat, s, survey.id.as_str())
                .await?,
        );
    }
    let mut jobs = Vec::new();
    for j in cat.jobs.iter().filter(|j| s.covers(Some(&j.facility))) {
        jobs.push(AdminJob {
            title: j.title.clone(),
            company: j.company.clone(),
            deadline: j.deadline.to_string(),
            status: app.service().job_status(&cat, j.id.as_str()).await?,
        });
    }
    let facilities = staff_scope::facilities(&cat, s);
    // What waits for a decision, from today on (older ones are past).
    let pending = app
        .service()
        .staff_reservations(
            s,
            ReservationFilter {
                status: Some(ReservationStatus::Pending),
                from: Some(today),
                ..Default::default()
            },
        )
        .await?
        .len();
    let targets = application_targets(&cat, s);
    let equipment = staff_scope::equipment(&cat, s);
    let scope = staff_scope::scope_name(&cat, s);
    let encode = |m: &BTreeMap<String, String>| serde_urlencoded::to_string(m).unwrap_or_default();
    // What the page's links keep: the filters and the search (a code
    // only: a phone number is never put in a link).
    let mut kept = rq.clone();
    for (k, v) in [
        ("kind", get("kind")),
        ("target", get("target")),
        ("astatus", get("astatus")),
    ] {
        if !v.is_empty() {
            kept.insert(k.to_owned(), v);
        }
    }
    if search_text
        .parse::<crate::domain::ReservationCode>()
        .is_ok()
    {
        kept.insert("q".into(), search_text.clone());
    }
    // Paging links keep the other list's page too.
    let pager = |param: &str, page: usize, pages: usize, other: (&str, usize)| {
        let link = |n: usize| {
            let mut m = kept.clone();
            if other.1 > 1 {
                m.insert(other.0.into(), other.1.to_string());
            }
            m.insert(param.into(), n.to_string());
            format!("/api/admin/dashboard?{}", encode(&m))
        };
        Pager {
            page,
            pages,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    };
    let reservations_pager = pager("page", rpage, rpages, ("apage", apage));
    let applications_pager = pager("apage", apage, apages, ("page", rpage));
    let choice = |value: &str, label: &str| Choice {
        value: value.to_owned(),
        label: label.to_owned(),
    };
    Ok(Reply::ok(Answer::Admin(Box::new(AdminAnswer {
        heading: "예약·신청 관리",
        scope,
        facilities,
        equipment,
        targets,
        filter: AdminFilter {
            facility: get("facility"),
            equipment: get("equipment"),
            status: get("status"),
            from: get("from"),
            to: get("to"),
            kind: get("kind"),
            target: get("target"),
            astatus: get("astatus"),
        },
        filter_query: {
            let mut m = kept.clone();
            for (k, n) in [("page", rpage), ("apage", apage)] {
                // A page asked for is kept even when it is the first: the
                // list would otherwise open at today's page again.
                if n > 1 || q.get(k).is_some() {
                    m.insert(k.into(), n.to_string());
                }
            }
            encode(&m)
        },
        today: today.to_string(),
        pending,
        landed,
        done: done_notice(q),
        reservation_statuses: ReservationStatus::ALL
            .iter()
            .map(|s| choice(s.as_str(), s.korean()))
            .collect(),
        application_statuses: ApplicationStatus::ALL
            .iter()
            .map(|s| choice(s.as_str(), s.korean()))
            .collect(),
        reservations,
        markable,
        applications,
        amarkable,
        reservations_csv: format!("/api/admin/reservations.csv?{}", encode(&rq)),
        applications_csv: format!("/api/admin/applications.csv?{}", encode(&aq)),
        surveys,
        jobs,
        is_all: *s == StaffScope::All,
        search: search_text,
        search_error,
        reservations_total,
        applications_total,
        reservations_pager,
        applications_pager,
    }))))
}

/// The page of a reservation list that staff land on when they asked for
/// no page and no dates: the one holding the first reservation of `today`
/// or later (the list is in date order, so page 1 holds the oldest).
fn landing_page(list: &[Reservation], today: Date) -> usize {
    let before = list.iter().take_while(|r| r.run.date() < today).count();
    before.min(list.len().saturating_sub(1)) / service::ADMIN_PAGE_SIZE + 1
}
