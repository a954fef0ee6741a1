//! Health and metrics: what an operator's load balancer and Prometheus ask
//! a registry node.
//!
//! `/healthz` (no authentication, on the main listener and on the metrics
//! one) answers 200 when the database answers a query, 503 otherwise, so a
//! load balancer takes a node whose database is gone out of rotation.
//!
//! `/metrics` is Prometheus text (format 0.0.4): requests by route
//! template, method and status, their durations, requests in flight, open
//! connections, forms ingested by outcome. It carries no personal data and
//! no ids: routes are templates (`/v1/supervisor/cases/{id}`), never paths.
//! It is served only on a listen address of its own (`--metrics-listen`,
//! off by default), never on the port devices and supervisors reach: the
//! figures (how many devices sync, how many forms a district sends) are for
//! the operator, and a private scrape address needs no token in
//! Prometheus's configuration (ADR 0011).

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Upper bounds (seconds) of the request duration histogram's buckets.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
struct Histogram {
    /// Cumulative counts per bucket of [`BUCKETS`].
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        for (bound, n) in BUCKETS.iter().zip(self.buckets.iter_mut()) {
            if seconds <= *bound {
                *n += 1;
            }
        }
        self.count += 1;
        self.sum += seconds;
    }
}

/// A route template (`unmatched` for any other path) and a method.
type RouteKey = (String, String);

/// The registry process's counters (one per node: Prometheus adds them up).
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    durations: Mutex<BTreeMap<RouteKey, Histogram>>,
    in_flight: AtomicI64,
    /// Connections the server holds open (kept by `serve::serve_counted`).
    pub open_connections: Arc<AtomicI64>,
    forms_stored: AtomicU64,
    forms_duplicate: AtomicU64,
    forms_rejected: AtomicU64,
}

/// What happened to one form of a push or bundle.
#[derive(Debug, Clone, Copy)]
pub enum FormOutcome {
    Stored,
    Duplicate,
    Rejected,
}

impl Metrics {
    pub fn form(&self, outcome: FormOutcome) {
        let counter = match outcome {
            FormOutcome::Stored => &self.forms_stored,
            FormOutcome::Duplicate => &self.forms_duplicate,
            FormOutcome::Rejected => &self.forms_rejected,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn request(&self, key: RouteKey, status: u16, seconds: f64) {
        if let Ok(mut r) = self.requests.lock() {
            *r.entry((key.0.clone(), key.1.clone(), status)).or_default() += 1;
        }
        if let Ok(mut d) = self.durations.lock() {
            d.entry(key).or_default().observe(seconds);
        }
    }

    /// The Prometheus text of every counter.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP komek_http_requests_total Requests answered, by route template, method and status.\n\
             # TYPE komek_http_requests_total counter"
        );
        if let Ok(r) = self.requests.lock() {
            for ((route, method, status), n) in r.iter() {
                let _ = writeln!(
                    out,
                    "komek_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {n}"
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP komek_http_request_duration_seconds Time to answer, by route template and method.\n\
             # TYPE komek_http_request_duration_seconds histogram"
        );
        if let Ok(d) = self.durations.lock() {
            for ((route, method), h) in d.iter() {
                let labels = format!("route=\"{route}\",method=\"{method}\"");
                for (bound, n) in BUCKETS.iter().zip(h.buckets.iter()) {
                    let _ = writeln!(
                        out,
                        "komek_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                    );
                }
                let _ = writeln!(
                    out,
                    "komek_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}\n\
                     komek_http_request_duration_seconds_sum{{{labels}}} {}\n\
                     komek_http_request_duration_seconds_count{{{labels}}} {}",
                    h.count, h.sum, h.count
                );
            }
        }
        let gauges = [
            (
                "komek_http_requests_in_flight",
                "Requests being answered now (the queue in front of the database).",
                self.in_flight.load(Ordering::Relaxed),
            ),
            (
                "komek_open_connections",
                "Client connections held open.",
                self.open_connections.load(Ordering::Relaxed),
            ),
        ];
        for (name, help, value) in gauges {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP komek_forms_ingested_total Forms received in pushes and bundles, by outcome.\n\
             # TYPE komek_forms_ingested_total counter"
        );
        for (outcome, counter) in [
            ("stored", &self.forms_stored),
            ("duplicate", &self.forms_duplicate),
            ("rejected", &self.forms_rejected),
        ] {
            let _ = writeln!(
                out,
                "komek_forms_ingested_total{{outcome=\"{outcome}\"}} {}",
                counter.load(Ordering::Relaxed)
            );
        }
        out
    }
}

/// One request in flight; leaving (also when the client goes away and the
/// request is dropped half way) takes it off the gauge.
struct InFlight<'a>(&'a Metrics);

impl<'a> InFlight<'a> {
    fn enter(m: &'a Metrics) -> InFlight<'a> {
        m.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(m)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Middleware: count every request under its route template.
pub async fn track(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    // Any method may arrive: the label takes the known ones only, so a
    // client cannot grow the counters without bound.
    let method = match req.method().as_str() {
        m @ ("GET" | "POST" | "PUT" | "DELETE" | "HEAD" | "OPTIONS" | "PATCH") => m,
        _ => "other",
    }
    .to_string();
    let started = Instant::now();
    let in_flight = InFlight::enter(&state.metrics);
    let resp = next.run(req).await;
    drop(in_flight);
    state.metrics.request(
        (route, method),
        resp.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    resp
}

/// `GET /healthz`: 200 `{"status": "ok"}` when the database answers,
/// 503 (`unavailable`) when it does not.
pub async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    let checked = super::api::blocking(&state, |s| Ok(s.storage.ping()?)).await;
    match checked {
        Ok(()) => Json(serde_json::json!({ "status": "ok" })).into_response(),
        Err(_) => crate::error::ApiErr::new(
            StatusCode::SERVICE_UNAVAILABLE,
            komek_core::sync::codes::UNAVAILABLE,
            "the database does not answer",
        )
        .into_response(),
    }
}

/// `GET /metrics`.
pub async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

/// The metrics listener's routes: `/metrics` and `/healthz`.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_holds_every_family_and_cumulative_buckets() {
        let m = Metrics::default();
        let key = ("/v1/push".to_string(), "POST".to_string());
        m.request(key.clone(), 200, 0.003);
        m.request(key.clone(), 200, 0.2);
        m.request(key, 409, 20.0);
        m.form(FormOutcome::Stored);
        m.form(FormOutcome::Stored);
        m.form(FormOutcome::Rejected);
        let text = m.render();
        assert!(text.contains(
            "komek_http_requests_total{route=\"/v1/push\",method=\"POST\",status=\"200\"} 2"
        ));
        assert!(text.contains(
            "komek_http_requests_total{route=\"/v1/push\",method=\"POST\",status=\"409\"} 1"
        ));
        let bucket = |le: &str| {
            format!(
                "komek_http_request_duration_seconds_bucket{{route=\"/v1/push\",method=\"POST\",le=\"{le}\"}} "
            )
        };
        assert!(text.contains(&(bucket("0.001") + "0")));
        assert!(text.contains(&(bucket("0.005") + "1")));
        assert!(text.contains(&(bucket("0.25") + "2")));
        assert!(text.contains(&(bucket("10") + "2")));
        assert!(text.contains(&(bucket("+Inf") + "3")));
        assert!(text.contains("komek_forms_ingested_total{outcome=\"stored\"} 2"));
        assert!(text.contains("komek_forms_ingested_total{outcome=\"duplicate\"} 0"));
        assert!(text.contains("komek_forms_ingested_total{outcome=\"rejected\"} 1"));
        assert!(text.contains("# TYPE komek_open_connections gauge\nkomek_open_connections 0"));
        // Every line is a comment or `name{labels} value`.
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let value = line.rsplit(' ').next().unwrap();
            assert!(value.parse::<f64>().is_ok(), "{line}");
        }
    }
}
