//! `komek rules show`: the rule pack in use, as a person reads it.
//!
//! A supervisor asked "why was this family refused?" needs the numbers the
//! device used: the MRP and subsistence minimum in force, the poverty line of
//! each region for the quarter of application (published, or estimated and
//! from what), which incomes count, and every benefit coefficient with its
//! amount in tenge for the date. `--toml` prints the pack's exact text instead
//! (to start a new pack from the built-in one).

use crate::error::CliError;
use crate::options::{today, PackArgs};
use crate::pack_source::{self, Origin};
use chrono::NaiveDate;
use clap::Args;
use komek_core::l10n::{format_coefficient, format_money, format_percent, Lang, Localizer};
use komek_core::model::{Hundredths, Quarter, Region, Tiyn};
use komek_core::rules::pack::{PmSource, PovertyLine};
use komek_core::rules::RulePack;
use std::fmt::Write;

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Amounts and poverty lines as of this date [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
    /// Print the pack's TOML text exactly, instead of the summary.
    #[arg(long)]
    pub toml: bool,
    #[command(flatten)]
    pub pack: PackArgs,
}

pub fn run(args: ShowArgs) -> Result<(), CliError> {
    let date = args.date.unwrap_or_else(today);
    let loaded = pack_source::load(&args.pack, date)?;
    if args.toml {
        // The bytes that were verified, not a second read of the file.
        return crate::out::stdout_bytes(loaded.toml());
    }
    let origin = match &loaded.origin {
        Origin::Builtin => "built into this program".to_string(),
        Origin::Verified(p) => format!("{}, signature verified", p.display()),
        Origin::Unsigned(p) => format!("{}, UNSIGNED draft", p.display()),
    };
    crate::out::stdout(&summary(loaded.pack(), &origin, date))
}

fn money(t: Tiyn) -> String {
    format_money(Lang::En, t)
}

fn coef(c: Hundredths) -> String {
    format_coefficient(Lang::En, c)
}

fn share(c: Hundredths) -> String {
    format_percent(Lang::En, c)
}

fn region_name(r: Region) -> String {
    Localizer::global().format(Lang::En, &format!("region-{}", r.code()), None)
}

/// The whole summary as text (`writeln!` to a String cannot fail).
pub fn summary(pack: &RulePack, origin: &str, date: NaiveDate) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "Rule pack {} ({origin})", pack.version);
    let _ = writeln!(
        o,
        "  issued {}, valid {} to {}{}",
        pack.issued,
        pack.valid_from,
        pack.valid_until,
        if pack.covers(date) {
            ""
        } else {
            " (does NOT cover the date shown)"
        }
    );
    if let Some(d) = &pack.description {
        let _ = writeln!(o, "  {d}");
    }
    globals(&mut o, pack);
    poverty_lines(&mut o, pack, date);
    tsa(&mut o, pack, date);
    benefits(&mut o, pack, date);
    local(&mut o, pack);
    o
}

fn globals(o: &mut String, pack: &RulePack) {
    let _ = writeln!(o, "\nNational parameters (each in force from its date)");
    let _ = writeln!(
        o,
        "  {:<12} {:>14} {:>16} {:>14}  confidence",
        "from", "MRP", "budget-law PM", "minimum wage"
    );
    for g in &pack.globals {
        let _ = writeln!(
            o,
            "  {:<12} {:>14} {:>16} {:>14}  {}",
            g.from.to_string(),
            money(g.mrp),
            money(g.budget_pm),
            money(g.min_wage),
            g.confidence.code()
        );
    }
}

fn poverty_lines(o: &mut String, pack: &RulePack, date: NaiveDate) {
    let quarter = Quarter::of(date);
    let _ = writeln!(
        o,
        "\nTSA poverty line for an application on {date} ({quarter}), per region"
    );
    for region in Region::ALL {
        let line = pack.poverty_line(region, quarter);
        let how = match line {
            PovertyLine::Published { .. } => "published".to_string(),
            PovertyLine::Estimated {
                pm,
                pm_quarter,
                pm_source,
                pm_share,
                median,
                median_missing,
                ..
            } => {
                let base = match pm_source {
                    PmSource::Regional => "regional PM",
                    PmSource::RegionalEarlier => "regional PM of an EARLIER quarter",
                    PmSource::National => "NATIONAL PM (no regional figure)",
                };
                let mut s = format!(
                    "estimated: {} of the {base} {} ({pm_quarter})",
                    share(pm_share),
                    money(pm)
                );
                if let Some((m, sh)) = median {
                    let _ = write!(s, ", or {} of the median income {}", share(sh), money(m));
                } else if median_missing {
                    s.push_str("; median income unknown");
                }
                s
            }
            PovertyLine::Unknown => "unknown: no published line and no PM".to_string(),
        };
        let amount = line.amount().map(money).unwrap_or_else(|| "—".to_string());
        let _ = writeln!(
            o,
            "  {:<28} {:>14}  {:<10}  {how}",
            region_name(region),
            amount,
            line.confidence().code()
        );
    }
}

fn tsa(o: &mut String, pack: &RulePack, date: NaiveDate) {
    let t = &pack.tsa;
    let _ = writeln!(o, "\nTargeted social assistance ({})", t.confidence.code());
    let _ = writeln!(o, "  source: {}", t.source);
    for r in &t.poverty_line_rules {
        let until = r
            .until
            .map(|u| u.to_string())
            .unwrap_or_else(|| "…".to_string());
        let median = r
            .median_share
            .map(|m| format!(", or {} of the median income if higher", share(m)))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "  poverty line {} to {until}: {} of the regional PM of the previous quarter{median}",
            r.from,
            share(r.pm_share)
        );
    }
    let counted: Vec<String> = t
        .incomes()
        .iter()
        .filter(|i| i.counted)
        .map(|i| i.kind.code())
        .collect();
    let _ = writeln!(o, "  incomes counted: {}", counted.join(", "));
    let _ = writeln!(o, "  incomes not counted:");
    for i in t.incomes().iter().filter(|i| !i.counted) {
        let _ = writeln!(
            o,
            "    {} ({}): {}",
            i.kind.code(),
            i.confidence.code(),
            i.source
        );
    }
    let mrp = pack.globals_on(date).map(|g| g.mrp);
    let c = &t.child_supplement;
    let _ = writeln!(
        o,
        "  child supplement: {} MRP{} a month per child aged {}-{}",
        coef(c.mrp),
        mrp.map(|m| format!(" ({})", money(m.times(c.mrp))))
            .unwrap_or_default(),
        c.min_age,
        c.max_age
    );
    let k = &t.conditionality;
    let _ = writeln!(
        o,
        "  conditional unless no able-bodied member (from age {}; retirement {} men / {} women, {}); social contract, refusal for {} months if broken",
        k.able_bodied_min_age,
        k.retirement_age_men,
        k.retirement_age_women,
        k.retirement_age_confidence.code(),
        k.refusal_months
    );
    if let Some(s) = t.asset_screens_on(date) {
        let _ = writeln!(
            o,
            "  asset screens from {} ({}, may lead to refusal): non-mortgage loans above {} budget-law PM per member, deposits above {} MRP, more than {} car(s)",
            s.from,
            s.confidence.code(),
            coef(s.loans_pm_per_member),
            coef(s.deposits_mrp),
            s.max_cars
        );
    }
}

fn benefits(o: &mut String, pack: &RulePack, date: NaiveDate) {
    let Some(g) = pack.globals_on(date) else {
        let _ = writeln!(o, "\nNo national parameters in force on {date}.");
        return;
    };
    let (mrp, pm) = (g.mrp, g.budget_pm);
    let m = |c: Hundredths| format!("{} MRP ({})", coef(c), money(mrp.times(c)));
    let p = |c: Hundredths| format!("{} PM ({})", coef(c), money(pm.times(c)));
    let _ = writeln!(
        o,
        "\nOther benefits on {date} (MRP {}, budget-law PM {})",
        money(mrp),
        money(pm)
    );
    let b = &pack.childbirth;
    let _ = writeln!(
        o,
        "  childbirth, one-time: 1st-3rd child {}; 4th and later {}",
        m(b.first_to_third_mrp),
        m(b.fourth_and_later_mrp)
    );
    let cc = &pack.childcare;
    let orders: Vec<String> = cc.mrp_by_child_order.iter().map(|c| m(*c)).collect();
    let _ = writeln!(
        o,
        "  childcare to {} months, by child order: {}",
        cc.until_age_months,
        orders.join(" / ")
    );
    let lf = &pack.large_family;
    let mut by: Vec<String> = lf
        .by_children
        .iter()
        .map(|c| format!("{}: {}", c.children, m(c.mrp)))
        .collect();
    by.push(format!(
        "{}+: {} per child",
        lf.per_child_from,
        m(lf.per_child_mrp)
    ));
    let _ = writeln!(o, "  large family (children): {}", by.join(", "));
    let awards: Vec<String> = pack
        .awarded_mothers
        .awards
        .iter()
        .map(|a| {
            format!(
                "{} {}",
                serde_json::to_value(a.award)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                m(a.mrp)
            )
        })
        .collect();
    let _ = writeln!(o, "  awarded mothers: {}", awards.join(", "));
    let d = &pack.disability;
    let _ = writeln!(
        o,
        "  disability, child under {}: {}",
        d.child_max_age + 1,
        p(d.child_pm)
    );
    for (what, g) in [
        ("since childhood", &d.since_childhood),
        ("general illness", &d.general_illness),
    ] {
        let _ = writeln!(
            o,
            "  disability, {what}: I {}, II {}, III {}",
            p(g.group_i),
            p(g.group_ii),
            p(g.group_iii)
        );
    }
    let c = &pack.carer;
    let carer = match c.published_for(chrono::Datelike::year(&date)) {
        Some(y) => format!(
            "{} a month (published for {}, {})",
            money(y.amount),
            y.year,
            y.confidence.code()
        ),
        None => p(c.pm_coefficient),
    };
    let _ = writeln!(o, "  parent caring for a child with a disability: {carer}");
    let shares: Vec<String> = pack
        .breadwinner
        .pm_by_dependants
        .iter()
        .map(|c| p(*c))
        .collect();
    let _ = writeln!(
        o,
        "  loss of breadwinner, by dependants 1, 2, …: {}",
        shares.join(" / ")
    );
}

fn local(o: &mut String, pack: &RulePack) {
    let _ = writeln!(o, "\nDistrict decisions (livestock/land not income)");
    if pack.districts.is_empty() {
        let _ = writeln!(o, "  none");
    }
    for d in &pack.districts {
        let yes = |b: bool| if b { "yes" } else { "no" };
        let _ = writeln!(
            o,
            "  {} {}: livestock not income {}, land not income {} ({})",
            d.region.code(),
            d.district,
            yes(d.livestock_not_income),
            yes(d.land_not_income),
            d.confidence.code()
        );
    }
    let _ = writeln!(o, "\nRegion overrides");
    if pack.region_overrides.is_empty() {
        let _ = writeln!(o, "  none");
    }
    for r in &pack.region_overrides {
        let _ = writeln!(
            o,
            "  {} from {}: pm_share {:?}, median_share {:?}, child supplement {:?}",
            r.region.code(),
            r.from,
            r.pm_share.map(coef),
            r.median_share.map(coef),
            r.child_supplement_mrp.map(coef)
        );
    }
}
