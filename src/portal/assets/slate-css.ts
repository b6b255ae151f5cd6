// Slate's one stylesheet, served from the portal at /assets/slate.css (no external fonts or files).
export const slateCss = String.raw`
:root {
  --bg: #f4f6f9; --surface: #ffffff; --ink: #17202e; --ink-2: #4a5568; --ink-3: #6b7687;
  --line: #dde3ea; --line-2: #eef1f5; --brand: #0f1b2d; --brand-2: #1c2b44; --accent: #2456d3; --accent-ink: #ffffff;
  --focus: #f0a500; --ok: #17693b; --ok-bg: #e3f4ea; --info: #1d4fb8; --info-bg: #e5edfc; --warn: #8a5300; --warn-bg: #fdf1dc;
  --bad: #a61b1b; --bad-bg: #fbe6e6; --mute: #4d5766; --mute-bg: #eceff3; --teal: #0b6770; --teal-bg: #dff3f4; --violet: #5b3aa6; --violet-bg: #efe9fb;
  --radius: 8px; --shadow: 0 1px 2px rgba(15, 27, 45, .06), 0 1px 3px rgba(15, 27, 45, .08);
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
  --mono: ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
}
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; background: var(--bg); color: var(--ink); font-family: var(--sans); line-height: 1.45; -webkit-font-smoothing: antialiased; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 3px; }
h1 { font-size: 1.55rem; margin: 0; font-weight: 650; letter-spacing: -.01em; }
h2 { font-size: 1.1rem; margin: 0 0 .75rem; font-weight: 650; }
h3 { font-size: .95rem; margin: 1rem 0 .5rem; font-weight: 650; }
p { margin: .4rem 0 .8rem; }
code, pre, .mono { font-family: var(--mono); font-size: .86em; }
.skip { position: absolute; left: -999px; top: 0; background: var(--surface); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: 1rem; top: .5rem; }

/* Top bar and navigation */
.topbar { background: var(--brand); color: #fff; }
.topbar-inner { max-width: 1440px; margin: 0 auto; padding: 0 1.5rem; display: flex; align-items: center; gap: 2rem; height: 56px; }
.brand { display: flex; align-items: center; gap: .6rem; color: #fff; font-weight: 700; font-size: 1.15rem; letter-spacing: .01em; }
.brand:hover { text-decoration: none; }
.brand small { font-weight: 400; color: #a9b6cb; font-size: .8rem; letter-spacing: 0; }
.brand-mark { width: 28px; height: 28px; }
.nav { display: flex; gap: .25rem; height: 100%; }
.nav a { color: #c9d3e3; display: flex; align-items: center; gap: .4rem; padding: 0 .85rem; height: 100%; border-bottom: 3px solid transparent; font-weight: 500; }
.nav a:hover { color: #fff; text-decoration: none; background: var(--brand-2); }
.nav a[aria-current="page"] { color: #fff; border-bottom-color: #5b8cff; }
.nav .count { background: #f0a500; color: #1b1300; border-radius: 999px; padding: 0 .45rem; font-size: .75rem; font-weight: 700; }
.who { margin-left: auto; display: flex; align-items: center; gap: .9rem; font-size: .88rem; color: #c9d3e3; }
.who strong { color: #fff; font-weight: 600; }
.who .role { border: 1px solid #43557a; border-radius: 999px; padding: .05rem .5rem; font-size: .75rem; }
.who a { color: #c9d3e3; }
.who form { margin: 0; }
.link-button { background: none; border: 0; color: #c9d3e3; font: inherit; cursor: pointer; padding: .25rem .1rem; }
.link-button:hover { color: #fff; text-decoration: underline; }

/* Page */
main { max-width: 1440px; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }
.page-head { display: flex; align-items: flex-end; justify-content: space-between; gap: 1rem; margin-bottom: 1.1rem; flex-wrap: wrap; }
.page-head p { margin: .25rem 0 0; color: var(--ink-2); }
.page-head h2 { margin: 0; }
.actions { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
.card { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); padding: 1.1rem 1.25rem; margin-bottom: 1.1rem; }
.card.flush { padding: 0; overflow: hidden; }
.card-head { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: .9rem 1.25rem; border-bottom: 1px solid var(--line); }
.card-head h2 { margin: 0; }
.card-body { padding: .9rem 1.25rem 0; }
.card-gap { height: .9rem; }
.grid-2 { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.1rem; }
.grid-3 { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 1.1rem; }
.grid-4 { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 1.1rem; }
@media (max-width: 1100px) { .grid-2, .grid-3 { grid-template-columns: minmax(0, 1fr); } .grid-4 { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
.muted { color: var(--ink-3); }
.small { font-size: .85rem; }
.nowrap { white-space: nowrap; }
.right { text-align: right; }

/* Buttons and forms */
.button { display: inline-flex; align-items: center; gap: .4rem; white-space: nowrap; flex: none; border: 1px solid var(--line); background: var(--surface); color: var(--ink); border-radius: 6px; padding: .45rem .85rem; font: inherit; font-size: .9rem; font-weight: 550; cursor: pointer; line-height: 1.2; }
.button:hover { background: #f7f9fc; border-color: #c7d0dc; text-decoration: none; }
.button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-ink); }
.button.primary:hover { background: #1c47b3; }
.button.danger { color: var(--bad); border-color: #e8bcbc; }
.button.danger:hover { background: var(--bad-bg); }
.button.small { padding: .25rem .6rem; font-size: .8rem; }
label { display: block; font-size: .82rem; font-weight: 600; color: var(--ink-2); margin-bottom: .25rem; }
input[type=text], input[type=password], input[type=search], input[type=date], select, textarea {
  font: inherit; font-size: .92rem; color: var(--ink); background: #fff; border: 1px solid #c9d2de; border-radius: 6px; padding: .42rem .6rem; min-width: 0; width: 100%; }
input[type=text], input[type=password], input[type=search], input[type=date], select { height: 2.3rem; }
.filters .button { height: 2.3rem; }
input:focus, select:focus, textarea:focus { border-color: var(--accent); outline: 2px solid rgba(36, 86, 211, .25); outline-offset: 0; }
.field { margin-bottom: .85rem; }
.filters { display: flex; gap: .75rem; align-items: flex-end; flex-wrap: wrap; padding: .9rem 1.25rem; border-bottom: 1px solid var(--line); background: #fafbfd; }
.filters .field { margin: 0; }
.filters .grow { flex: 1 1 220px; }
.filters .f-status { width: 150px; } .filters .f-date { width: 150px; } .filters .f-account { width: 170px; } .filters .f-partner { width: 170px; } .filters .f-limit { width: 90px; }
.inline-form { display: inline-flex; gap: .4rem; align-items: center; margin: 0; }
.inline-form input[type=text] { width: 220px; }
.decision { display: flex; flex-direction: column; gap: .4rem; align-items: flex-start; min-width: 300px; }
.decision .inline-form input[type=text] { width: 210px; height: 1.9rem; font-size: .82rem; }
td.arn { overflow-wrap: anywhere; max-width: 260px; }
.stack > * + * { margin-top: .9rem; }

/* Notices */
.notice { border-radius: var(--radius); padding: .75rem 1rem; margin-bottom: 1rem; border: 1px solid; }
.notice.ok { background: var(--ok-bg); border-color: #b9e0c8; color: #0f4d2a; }
.notice.bad { background: var(--bad-bg); border-color: #f0c2c2; color: #7d1414; }
.notice.info { background: var(--info-bg); border-color: #c3d3f6; color: #163c8c; }
.notice.warn { background: var(--warn-bg); border-color: #f0d7a8; color: #6b4100; }

/* Status badges: colour and text together */
.badge { display: inline-flex; align-items: center; gap: .3rem; border-radius: 999px; padding: .1rem .55rem .1rem .45rem; font-size: .78rem; font-weight: 650; white-space: nowrap; border: 1px solid transparent; }
.badge .dot { font-size: .8rem; line-height: 1; }
.badge.received { background: var(--mute-bg); color: var(--mute); border-color: #d5dae2; }
.badge.validating { background: var(--info-bg); color: var(--info); border-color: #c6d6f7; }
.badge.accepted { background: var(--teal-bg); color: var(--teal); border-color: #b6e1e4; }
.badge.ingested { background: var(--ok-bg); color: var(--ok); border-color: #bfe3cc; }
.badge.rejected { background: var(--bad-bg); color: var(--bad); border-color: #f1c4c4; }
.badge.superseded { background: var(--violet-bg); color: var(--violet); border-color: #dbd0f3; }
.badge.pending { background: var(--warn-bg); color: var(--warn); border-color: #f0d7a8; }
.badge.verified, .badge.active, .badge.approved { background: var(--ok-bg); color: var(--ok); border-color: #bfe3cc; }
.badge.revoked { background: var(--bad-bg); color: var(--bad); border-color: #f1c4c4; }
.badge.passed { background: var(--ok-bg); color: var(--ok); border-color: #bfe3cc; }
.badge.failed, .badge.error { background: var(--bad-bg); color: var(--bad); border-color: #f1c4c4; }
.badge.skipped { background: var(--mute-bg); color: var(--mute); border-color: #d5dae2; }
.badge.live { background: #e9f7ef; color: var(--ok); border-color: #bfe3cc; }
.badge.offline { background: var(--mute-bg); color: var(--mute); border-color: #d5dae2; }

/* Tables */
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { text-align: left; padding: .55rem .75rem; border-bottom: 1px solid var(--line-2); vertical-align: top; }
thead th { background: #f7f9fb; color: var(--ink-2); font-size: .76rem; text-transform: uppercase; letter-spacing: .04em; font-weight: 650; border-bottom: 1px solid var(--line); white-space: nowrap; position: sticky; top: 0; }
thead th a { color: inherit; display: inline-flex; gap: .25rem; align-items: center; }
thead th a:hover { color: var(--accent); }
th[aria-sort] a { color: var(--ink); }
tbody tr:hover { background: #f8fafd; }
tbody tr.flash { animation: flash 2.4s ease-out; }
@keyframes flash { from { background: #fff4c7; } to { background: transparent; } }
td.file { min-width: 230px; max-width: 360px; overflow-wrap: anywhere; font-weight: 550; }
td.file a { color: var(--ink); }
td.file a:hover { color: var(--accent); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td .sub { display: block; color: var(--ink-3); font-size: .78rem; font-weight: 400; }
.empty { padding: 2.5rem 1.25rem; text-align: center; color: var(--ink-2); }
.empty h2 { margin-bottom: .4rem; }
.pager { display: flex; align-items: center; justify-content: space-between; padding: .75rem 1.25rem; gap: 1rem; font-size: .88rem; color: var(--ink-2); flex-wrap: wrap; }
.pager .actions { gap: .4rem; }
.button[aria-disabled="true"] { opacity: .45; pointer-events: none; }

/* Key-value lists, code, copy */
dl.kv { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .45rem 1.25rem; margin: 0; font-size: .9rem; }
dl.kv dt { color: var(--ink-3); font-weight: 550; }
dl.kv dd { margin: 0; word-break: break-all; }
.copy-row { display: flex; align-items: center; gap: .5rem; }
.copy-row code { background: var(--line-2); padding: .2rem .45rem; border-radius: 4px; word-break: break-all; }
pre.code { background: #0f1b2d; color: #e6edf7; padding: .9rem 1rem; border-radius: 6px; overflow-x: auto; margin: 0; line-height: 1.5; font-size: .8rem; max-height: 420px; }
pre.code.wrap { white-space: pre-wrap; overflow-wrap: anywhere; }
.code-block { position: relative; margin-bottom: .9rem; }
.code-block .code-head { display: flex; justify-content: space-between; align-items: center; margin-bottom: .35rem; }
.code-block .code-head h3 { margin: 0; }
.copied { color: var(--ok); font-size: .8rem; font-weight: 600; }

/* Timeline */
ol.timeline { list-style: none; margin: 0; padding: 0; position: relative; }
ol.timeline li { position: relative; padding: 0 0 1rem 1.6rem; }
ol.timeline li::before { content: ""; position: absolute; left: .38rem; top: .35rem; bottom: -.35rem; width: 2px; background: var(--line); }
ol.timeline li:last-child::before { display: none; }
ol.timeline .mark { position: absolute; left: 0; top: .2rem; width: .85rem; height: .85rem; border-radius: 50%; background: #fff; border: 3px solid var(--ink-3); }
ol.timeline .mark.ingested, ol.timeline .mark.accepted { border-color: var(--ok); }
ol.timeline .mark.rejected { border-color: var(--bad); }
ol.timeline .mark.validating { border-color: var(--info); }
ol.timeline .mark.superseded { border-color: var(--violet); }
ol.timeline .when { color: var(--ink-3); font-size: .8rem; }
ol.timeline .note { font-size: .88rem; color: var(--ink-2); }

/* Issues */
.issue { border-left: 4px solid var(--bad); background: #fff8f8; padding: .6rem .85rem; border-radius: 0 6px 6px 0; margin: .5rem 0; font-size: .88rem; }
.issue .code { font-family: var(--mono); font-weight: 700; color: var(--bad); }
.issue dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .8rem; margin: .35rem 0 0; }
.issue dt { font-weight: 650; color: var(--ink-2); }
.issue dd { margin: 0; }

/* Connection status */
.conn { display: flex; align-items: flex-start; gap: .85rem; padding: .8rem 1rem; border-radius: var(--radius); border: 1px solid var(--line); margin-bottom: .6rem; }
.conn .light { width: 14px; height: 14px; border-radius: 50%; margin-top: .25rem; flex: none; }
.conn.verified { border-color: #bfe3cc; background: var(--ok-bg); }
.conn.verified .light { background: #1f9d55; box-shadow: 0 0 0 4px rgba(31, 157, 85, .2); }
.conn.waiting { border-color: #f0d7a8; background: var(--warn-bg); }
.conn.waiting .light { background: #e09b1a; box-shadow: 0 0 0 4px rgba(224, 155, 26, .2); }
.conn strong { display: block; }

/* Stats and charts */
.stat { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); padding: 1rem 1.2rem; }
.stat .label { color: var(--ink-3); font-size: .8rem; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
.stat .value { font-size: 1.7rem; font-weight: 700; margin-top: .2rem; font-variant-numeric: tabular-nums; }
.stat .hint { color: var(--ink-3); font-size: .82rem; }
.chart { width: 100%; height: auto; display: block; }
.chart text { font-family: var(--sans); font-size: 11px; fill: #6b7687; }
.chart .grid { stroke: #e8ecf1; stroke-width: 1; }
.chart .bar { fill: #2456d3; }
.chart .bar:hover { fill: #163c8c; }
.chart .line { fill: none; stroke: #f0a500; stroke-width: 2.5; }
.chart .point { fill: #f0a500; }
.chart .axis { stroke: #c9d2de; }
.legend { display: flex; gap: 1.2rem; font-size: .82rem; color: var(--ink-2); margin-top: .4rem; }
.legend .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: .35rem; vertical-align: middle; }
.legend .swatch.bars { background: #2456d3; } .legend .swatch.line { background: #f0a500; }
.hbar { fill: #e1564f; } .hbar-track { fill: #f2f4f7; }

/* Login */
.login-wrap { min-height: 100vh; display: grid; place-items: center; padding: 2rem; background: linear-gradient(160deg, #0f1b2d 0%, #1c2b44 55%, #24406d 100%); }
.login-card { width: 100%; max-width: 400px; background: var(--surface); border-radius: 12px; padding: 2rem 2rem 1.5rem; box-shadow: 0 20px 50px rgba(0, 0, 0, .3); }
.login-card .brand { color: var(--ink); margin-bottom: .3rem; font-size: 1.4rem; }
.login-card .brand small { color: var(--ink-3); }
.login-card .button { width: 100%; justify-content: center; padding: .6rem; margin-top: .4rem; }
.login-card .foot { color: var(--ink-3); font-size: .8rem; margin-top: 1.2rem; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0, 0, 0, 0); border: 0; }
`;
