//! Staff usage report (이용 현황): `GET /api/admin/reports` (a page for
//! browsers with SVG charts and their data tables, JSON for the staff API)
//! and `GET /api/admin/reports.csv?table=…` (each table as CSV). The
//! figures come from `service::reports`; this module only draws them.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use sbiz_catalog::Id;
use sbiz_presentation::chart::{Bar, BarChart, bar_chart};
use sbiz_presentation::forms;
use serde::Serialize;

use super::staff_auth::scope;
use super::staff_scope;
use crate::api::answer::{Answer, Echo};
use crate::api::reply::{Ctx, Reply};
use crate::api::requests::Query;
use crate::api::state::AppState;
use crate::api::views::Named;
use crate::service::{self, Period, REPORT_TABLES, StaffScope, UsageReport, UsageRow};
use crate::{Error, Result};

/// The report page.
#[derive(Debug, Serialize)]
pub(crate) struct ReportAnswer {
    pub heading: &'static str,
    /// Whose figures: "모든 시설" or the facility's name.
    pub scope: String,
    /// Whether the staff member sees every facility (and may choose one).
    pub all: bool,
    pub facilities: Vec<Named>,
    /// The period form as sent (or the default period).
    pub form: ReportForm,
    /// "2026년 2월 ~ 2026년 3월".
    pub period_label: String,
    pub report: UsageReport,
    /// The charts, as SVG markup (escaped where they hold text).
    pub charts: Charts,
    /// Each table's CSV link, by table name.
    pub csv: BTreeMap<&'static str, String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ReportForm {
    pub from: String,
    pub to: String,
    pub facility: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct Charts {
    pub equipment: String,
    pub months: String,
    pub weekdays: String,
    pub hours: String,
}

/// The period and facility a report is asked for.
fn request(app: &AppState, q: &Query) -> Result<(Period, Option<Id>)> {
    let today = app.service().now().date;
    let period = Period::parse(
        q.get("from").map(String::as_str),
        q.get("to").map(String::as_str),
        today,
    )?;
    let facility = match q
        .get("facility")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(f) => Some(
            f.parse()
                .map_err(|_| Error::staff_field("facility", "시설 ID가 올바르지 않습니다."))?,
        ),
    };
    Ok((period, facility))
}

async fn report(app: &AppState, s: &StaffScope, q: &Query) -> Result<(UsageReport, Period)> {
    let (period, facility) = request(app, q)?;
    let report = app
        .service()
        .usage_report(&app.catalog(), s, facility, period)
        .await?;
    Ok((report, period))
}

fn pct(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.1}%"))
        .unwrap_or_else(|| "운영 시간 없음".to_owned())
}

fn count_bars(rows: &[UsageRow]) -> Vec<Bar> {
    rows.iter()
        .map(|r| Bar {
            label: r.label.clone(),
            value: f64::from(r.usage.bookings),
            text: format!("{}건", r.usage.bookings),
        })
        .collect()
}

fn charts(r: &UsageReport) -> Charts {
    let utilisation: Vec<Bar> = r
        .equipment
        .iter()
        .map(|e| Bar {
            label: e.label.clone(),
            value: e.usage.utilisation.unwrap_or(0.0),
            text: pct(e.usage.utilisation),
        })
        .collect();
    // Full length is 100%, unless a machine was booked past its hours.
    let top = utilisation.iter().map(|b| b.value).fold(100.0, f64::max);
    let hours: Vec<Bar> = r
        .hours
        .iter()
        .map(|h| Bar {
            label: h.label.clone(),
            value: h.usage.booked_minutes as f64,
            text: format!("{}시간", h.usage.booked_hours),
        })
        .collect();
    Charts {
        equipment: bar_chart(&BarChart {
            id: "chart-equipment",
            title: "장비별 이용률",
            desc: "장비마다 운영 시간 가운데 예약된 시간의 비율입니다. 막대 끝에 비율을 적었고, 같은 수치가 아래 표에 있습니다.",
            bars: &utilisation,
            max: Some(top),
        }),
        months: bar_chart(&BarChart {
            id: "chart-months",
            title: "달별 예약 건수",
            desc: "달마다 접수된 장비 예약 건수입니다(취소·반려 포함). 같은 수치가 아래 표에 있습니다.",
            bars: &count_bars(&r.months),
            max: None,
        }),
        weekdays: bar_chart(&BarChart {
            id: "chart-weekdays",
            title: "요일별 예약 건수",
            desc: "이용일의 요일마다 장비 예약 건수입니다(취소·반려 포함). 같은 수치가 아래 표에 있습니다.",
            bars: &count_bars(&r.weekdays),
            max: None,
        }),
        hours: bar_chart(&BarChart {
            id: "chart-hours",
            title: "시간대별 예약된 시간",
            desc: "하루의 시간대마다 예약된 장비 이용 시간의 합계입니다. 같은 수치가 아래 표에 있습니다.",
            bars: &hours,
            max: None,
        }),
    }
}

fn csv_links(period: Period, facility: Option<&Id>) -> BTreeMap<&'static str, String> {
    REPORT_TABLES
        .iter()
        .map(|t| {
            let mut params = vec![
                ("table", (*t).to_owned()),
                ("from", period.from.to_string()),
                ("to", period.to.to_string()),
            ];
            if let Some(f) = facility {
                params.push(("facility", f.to_string()));
            }
            let query = serde_urlencoded::to_string(&params).unwrap_or_default();
            (*t, format!("/api/admin/reports.csv?{query}"))
        })
        .collect()
}

async fn page(app: &AppState, s: &StaffScope, q: &Query) -> Result<Reply> {
    let (report, period) = report(app, s, q).await?;
    let cat = app.catalog();
    let scope = match &report.facility {
        Some(f) => staff_scope::facility_name(&cat, f),
        None => staff_scope::scope_name(&cat, s),
    };
    let facilities = staff_scope::facilities(&cat, s);
    let period_label = if period.from == period.to {
        period.from.korean()
    } else {
        format!("{} ~ {}", period.from.korean(), period.to.korean())
    };
    Ok(Reply::ok(Answer::Report(Box::new(ReportAnswer {
        heading: "이용 현황",
        scope,
        all: matches!(s, StaffScope::All),
        facilities,
        form: ReportForm {
            from: period.from.to_string(),
            to: period.to.to_string(),
            facility: report
                .facility
                .as_ref()
                .map(Id::to_string)
                .unwrap_or_default(),
        },
        period_label,
        charts: charts(&report),
        csv: csv_links(period, report.facility.as_ref()),
        report,
    }))))
}

/// `GET /api/admin/reports`: the page (browsers) or the figures (JSON).
pub(crate) async fn reports(
    State(app): State<AppState>,
    mut ctx: Ctx,
    headers: HeaderMap,
    q: Query,
) -> Response {
    let s = match scope(&app, &headers).await {
        Ok(s) => s,
        Err(e) => {
            if ctx.html() {
                ctx.echo = Some(Echo {
                    form: forms::admin_login(),
                    values: Default::default(),
                });
            }
            return ctx.reply(Err(e));
        }
    };
    ctx.reply(page(&app, &s, &q).await)
}

/// `GET /api/admin/reports.csv?table=…`: one table of the report.
pub(crate) async fn reports_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    q: Query,
) -> Response {
    let result = async {
        let s = scope(&app, &headers).await?;
        let table = q.get("table").map(|t| t.trim()).unwrap_or("");
        let table = REPORT_TABLES.iter().find(|t| **t == table).ok_or_else(|| {
            Error::staff_field(
                "table",
                format!("표 이름은 {} 중 하나여야 합니다.", REPORT_TABLES.join(", ")),
            )
        })?;
        let (report, period) = report(&app, &s, &q).await?;
        let body = service::report_csv(&report, table)
            .ok_or_else(|| Error::staff_field("table", "알 수 없는 표입니다."))?;
        Ok(Reply::file(
            "text/csv; charset=utf-8",
            &format!("usage-{table}-{}-{}.csv", period.from, period.to),
            body,
        ))
    }
    .await;
    ctx.json_only().reply(result)
}
