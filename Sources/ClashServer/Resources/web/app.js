// The arena's web page: plain JavaScript over the server's own API (docs/openapi.yaml). Every value
// is put on the page as text (never as HTML), every figure comes from the API, and a ticket's
// payout proof is checked here, in the browser, against the signed tree head.
"use strict";

// ---- helpers -------------------------------------------------------------------------------

/** An element with attributes and children (strings become text nodes). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(`${body.title || response.status}: ${body.detail || ""} [${body.code || ""}]`);
  return body;
}

async function text(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.text();
}

/** Wei (a decimal string) as ETH, exactly, trailing zeros dropped. */
function eth(wei) {
  if (wei === null || wei === undefined) return "—";
  const value = BigInt(wei);
  const whole = value / 10n ** 18n;
  const fraction = (value % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "");
  return `${whole}${fraction ? "." + fraction : ""} ETH`;
}

/** USDC × 10^6 for display. */
function usdc(e6) {
  return (Number(e6) / 1e6).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " USDC";
}

function gain(e6) {
  const value = Number(e6) / 1e6;
  return el("span", { class: value > 0 ? "up" : value < 0 ? "down" : "" }, (value > 0 ? "+" : "") + value.toFixed(6) + " USDC");
}

function percent(bp) {
  return bp === null || bp === undefined ? "—" : (Number(bp) / 100).toFixed(2) + " %";
}

function when(ms) {
  return ms ? new Date(Number(ms)).toISOString().replace(".000Z", "Z") : "—";
}

function link(href, label) {
  return el("a", { href }, label);
}

function table(headers, rows) {
  return el("table", {},
    el("thead", {}, el("tr", {}, headers.map(([label, numeric]) => el("th", numeric ? { class: "num" } : {}, label)))),
    el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((cell, index) => el("td", headers[index][1] ? { class: "num" } : {}, cell))))));
}

function card(title, ...children) {
  return el("section", { class: "card" }, title ? el("h2", {}, title) : null, ...children);
}

function show(...children) {
  const page = document.getElementById("page");
  page.replaceChildren(...children);
}

const colors = ["#5b3cc4", "#1a7f37", "#cf222e", "#bf8700", "#0969da", "#8250df", "#e16f24", "#57606a"];

/** Equity curves as SVG: one line a racer, the start's equity dashed. */
function curves(equity, names) {
  const width = 1000, height = 320, left = 70, right = 10, top = 10, bottom = 30;
  const points = equity.curves.flatMap((curve) => curve.points);
  const chart = svg("svg", { class: "curves", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "equity curves" });
  if (points.length === 0) {
    chart.append(svg("text", { x: left, y: height / 2 }, "no marks yet: the race has not started"));
    return el("div", {}, chart);
  }
  const times = points.map((p) => p[0]);
  const values = points.map((p) => p[1]).concat([equity.starting_equity_e6]);
  const t0 = Math.min(...times), t1 = Math.max(...times, t0 + 1);
  let v0 = Math.min(...values), v1 = Math.max(...values);
  if (v0 === v1) { v0 -= 1e6; v1 += 1e6; }
  const x = (t) => left + (width - left - right) * (t - t0) / (t1 - t0);
  const y = (v) => top + (height - top - bottom) * (1 - (v - v0) / (v1 - v0));
  chart.append(svg("line", { class: "axis", x1: left, y1: height - bottom, x2: width - right, y2: height - bottom }));
  chart.append(svg("line", { x1: left, x2: width - right, y1: y(equity.starting_equity_e6), y2: y(equity.starting_equity_e6), stroke: "#999", "stroke-dasharray": "4 4" }));
  chart.append(svg("text", { x: 4, y: y(v1) + 4 }, (v1 / 1e6).toFixed(2)));
  chart.append(svg("text", { x: 4, y: y(v0) }, (v0 / 1e6).toFixed(2)));
  chart.append(svg("text", { x: left, y: height - 8 }, when(t0)));
  chart.append(svg("text", { x: width - right - 150, y: height - 8 }, when(t1)));
  equity.curves.forEach((curve, index) => {
    if (curve.points.length === 0) return;
    const path = curve.points.map((p, i) => `${i ? "L" : "M"}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(" ");
    chart.append(svg("path", { d: path, fill: "none", stroke: colors[index % colors.length], "stroke-width": 2, "data-clone": curve.clone_id, class: "curve" }));
  });
  const legend = el("div", { class: "legend" }, equity.curves.map((curve, index) => el("span", {},
    swatch(colors[index % colors.length]), names[curve.clone_id] || curve.clone_id,
    curve.points.length ? ` ${usdc(curve.points[curve.points.length - 1][1])}` : "")));
  return el("div", {}, chart, legend);
}

/** A legend's colour square, coloured through the CSSOM (the page's policy allows no inline style attribute). */
function swatch(color) {
  const square = el("i");
  square.style.background = color;
  return square;
}

async function cloneNames() {
  const clones = await api("/v1/clones");
  return Object.fromEntries(clones.map((clone) => [clone.clone_id, clone.name]));
}

function ranking(details, names) {
  return table([["Rank"], ["Clone"], ["Final equity", true], ["Gain", true], ["Max drawdown", true], ["Tickets", true]],
    details.racers.map((racer) => [racer.rank ?? "—", link(`/clones/${encodeURIComponent(racer.clone_id)}`, names[racer.clone_id] || racer.clone_id),
      racer.final_equity_e6 != null ? usdc(racer.final_equity_e6) : "—", racer.gain_e6 != null ? gain(racer.gain_e6) : "—",
      racer.max_drawdown_e6 != null ? usdc(racer.max_drawdown_e6) : percent(racer.max_drawdown_bp), racer.tickets]));
}

/** Follows the log's live feed from its head; calls `changed` (at most every two seconds) when an
 *  event of `raceId`'s accounts or of the race itself lands. */
async function follow(raceId, changed) {
  const head = await api("/v1/log/root");
  const types = ["runtime.fill", "runtime.funding_paid", "runtime.liquidated", "runtime.account_marked", "race.started", "race.ended", "race.settled"];
  const source = new EventSource(`/v1/events?from=${head.tree_size + 1}&` + types.map((type) => "type=" + type).join("&"));
  let pending = null;
  const onEvent = (event) => {
    let stream = "";
    try { stream = JSON.parse(event.data).stream || ""; } catch (error) { return; }
    if (stream !== "race." + raceId && !(stream.startsWith("account.") && stream.endsWith("." + raceId))) return;
    if (pending) return;
    pending = setTimeout(() => { pending = null; changed(); }, 2000);
  };
  for (const type of types) source.addEventListener(type, onEvent);
  window.addEventListener("pagehide", () => source.close());
  return source;
}

// ---- pages ---------------------------------------------------------------------------------

async function arenaPage() {
  const [races, names, fame] = await Promise.all([api("/v1/races"), cloneNames(), api("/v1/hall-of-fame")]);
  const careers = Object.fromEntries(fame.map((row) => [row.clone_id, row]));
  const accumulating = races.filter((race) => race.phase === "accumulating").pop();
  const running = races.filter((race) => race.phase === "running").pop();
  const last = races.filter((race) => race.phase === "settled").pop();
  const sections = [el("h1", {}, "The arena")];
  if (accumulating) {
    const details = await api(`/v1/races/${encodeURIComponent(accumulating.race_id)}`);
    const pays = Object.fromEntries(details.if_wins.map((row) => [row.clone_id, row]));
    sections.push(card(`Tickets on sale: ${accumulating.race_id}`,
      el("p", {}, el("span", { class: "phase" }, "accumulating"), ` Pool ${eth(accumulating.pool_wei)} from ${accumulating.tickets} tickets at ${eth(details.race.ticket_price_wei)} each.`),
      table([["Clone"], ["Career", true], ["Tickets", true], ["A ticket pays if it wins", true]],
        details.racers.map((racer) => {
          const career = careers[racer.clone_id] || {};
          return [link(`/clones/${encodeURIComponent(racer.clone_id)}`, names[racer.clone_id] || racer.clone_id),
            `${career.wins ?? 0} wins in ${career.races ?? 0} races`, racer.tickets, eth(pays[racer.clone_id]?.ticket_pays_wei)];
        }))));
  } else {
    sections.push(card("Tickets on sale", el("p", { class: "muted" }, "No race is accumulating tickets right now.")));
  }
  if (running) {
    const holder = el("div", { id: "running" });
    const draw = async () => {
      const [details, equity] = await Promise.all([api(`/v1/races/${encodeURIComponent(running.race_id)}`), api(`/v1/races/${encodeURIComponent(running.race_id)}/equity`)]);
      holder.replaceChildren(curves(equity, names), ranking(details, names));
    };
    await draw();
    sections.push(card(`Racing now: ${running.race_id}`, el("p", {}, el("span", { class: "phase" }, "running"), ` since ${when(running.started_ms)}; the curves follow the live feed.`), holder));
    follow(running.race_id, () => draw().catch(report)).catch(report);
  }
  if (last) {
    const details = await api(`/v1/races/${encodeURIComponent(last.race_id)}`);
    sections.push(card(`Last result: ${last.race_id}`,
      el("p", {}, `Won by `, link(`/clones/${encodeURIComponent(last.winner)}`, names[last.winner] || last.winner), ` · pool ${eth(last.pool_wei)} · `, link(`/races/${encodeURIComponent(last.race_id)}`, "every payout line")),
      ranking(details, names)));
  }
  sections.push(card("Every race", table([["Race"], ["Phase"], ["Started"], ["Pool", true], ["Winner"]],
    races.slice().reverse().map((race) => [link(`/races/${encodeURIComponent(race.race_id)}`, race.race_id), race.phase, when(race.started_ms), eth(race.pool_wei),
      race.winner ? names[race.winner] || race.winner : "—"]))));
  show(...sections);
}

async function racePage(raceId) {
  const [details, equity, names] = await Promise.all([api(`/v1/races/${encodeURIComponent(raceId)}`), api(`/v1/races/${encodeURIComponent(raceId)}/equity`), cloneNames()]);
  const race = details.race;
  const sections = [el("h1", {}, `Race ${raceId} `, el("span", { class: "phase" }, race.phase)),
    el("p", { class: "muted" }, `Opened ${when(race.opened_ms)} · started ${when(race.started_ms)} · ended ${when(race.ended_ms)} · ${race.tickets} tickets · pool ${eth(race.pool_wei)}`)];
  const chart = el("div", { id: "equity" }, curves(equity, names));
  sections.push(card("Equity", chart), card("Ranking", ranking(details, names)));
  if (details.payouts.length) {
    sections.push(card("Every payout line", table([["Line", true], ["Kind"], ["Recipient"], ["Clone"], ["Tickets", true], ["Amount", true]],
      details.payouts.map((line) => [line.line, line.kind, el("span", { class: "hash" }, line.recipient), line.clone_id ?? "—", line.tickets ?? "—", eth(line.amount_wei)]))));
  }
  if (race.phase === "settled" || race.phase === "cancelled") {
    const audit = el("p", { id: "audit" }, "Recomputing the settlement from the log…");
    sections.push(card("Audit", audit));
    api(`/v1/races/${encodeURIComponent(raceId)}/dispute`).then((dispute) => {
      const agrees = dispute.agrees_with_log && dispute.tree_head.matches_log;
      audit.replaceChildren(el("span", { class: agrees ? "verified" : "failed" }, agrees ? "agrees with the log" : "DOES NOT agree with the log"),
        ` — the settlement recomputed from ${dispute.inputs.length} logged inputs, each with its inclusion proof in the tree of ${dispute.tree_head.tree_size} events (root `,
        el("span", { class: "hash" }, dispute.tree_head.root_hash), ").");
    }).catch((error) => audit.replaceChildren(`cannot recompute: ${error.message}`));
  }
  show(...sections);
  if (race.phase === "running") {
    follow(raceId, async () => chart.replaceChildren(curves(await api(`/v1/races/${encodeURIComponent(raceId)}/equity`), names))).catch(report);
  }
}

async function clonePage(cloneId) {
  const [clone, fame] = await Promise.all([api(`/v1/clones/${encodeURIComponent(cloneId)}`), api("/v1/hall-of-fame")]);
  const career = fame.find((row) => row.clone_id === cloneId) || {};
  show(el("h1", {}, clone.name, " ", el("span", { class: "phase" }, clone.status)),
    el("p", { class: "muted" }, clone.tagline || ""),
    card("Identity", table([["Field"], ["Value"]], [["Clone", clone.clone_id], ["Owner", el("span", { class: "hash" }, clone.owner)], ["Created", when(clone.created_ms)],
      ["Control", clone.granularity], ["Strategy", el("span", { class: "hash" }, clone.strategy_hash)], ["Strategy changes", clone.strategy_changes]])),
    card("Career", table([["Races", true], ["Wins", true], ["Podiums", true], ["Best gain", true], ["Cumulative gain", true], ["Tickets backed", true], ["Paid to holders", true]],
      [[career.races ?? 0, career.wins ?? 0, career.podiums ?? 0, career.best_gain_e6 != null ? gain(career.best_gain_e6) : "—",
        career.cumulative_gain_e6 != null ? gain(career.cumulative_gain_e6) : "—", career.tickets_backed ?? 0, eth(career.holder_earnings_wei ?? "0")]])),
    el("p", { class: "muted" }, "The strategy itself is shown only to its owner and to operators."));
}

async function leaderboardPage() {
  const rows = await api("/v1/leaderboard");
  show(el("h1", {}, "Leaderboard"), card(null, table([["#", true], ["Clone"], ["Races", true], ["Wins", true], ["Podiums", true], ["Cumulative gain", true], ["Cumulative return", true]],
    rows.map((row, index) => [index + 1, link(`/clones/${encodeURIComponent(row.clone_id)}`, row.name), row.races, row.wins, row.podiums, gain(row.cumulative_gain_e6), percent(row.cumulative_return_bp)]))));
}

async function hallOfFamePage() {
  const rows = await api("/v1/hall-of-fame");
  show(el("h1", {}, "Hall of Fame"), card(null, table([["Clone"], ["Status"], ["Races", true], ["Wins", true], ["Best gain", true], ["Tickets backed", true], ["Paid to holders", true]],
    rows.map((row) => [link(`/clones/${encodeURIComponent(row.clone_id)}`, row.name), row.status + (row.retired_reason ? ` (${row.retired_reason})` : ""), row.races, row.wins,
      gain(row.best_gain_e6), row.tickets_backed, eth(row.holder_earnings_wei)]))));
}

// ---- the proof of a payout, checked here -----------------------------------------------------

const hex = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
const unhex = (text) => new Uint8Array(text.match(/../g).map((pair) => parseInt(pair, 16)));
const sha256 = async (...parts) => {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) { joined.set(part, offset); offset += part.length; }
  return new Uint8Array(await crypto.subtle.digest("SHA-256", joined));
};

/** RFC 9162 §2.1.3.2: the root an inclusion path leads to from leaf `index` of a tree of `size`. */
async function rootFromInclusion(index, size, leaf, path) {
  if (index >= size) return null;
  let fn = BigInt(index), sn = BigInt(size) - 1n, r = leaf;
  for (const sibling of path) {
    if (sn === 0n) return null;
    const p = unhex(sibling);
    if ((fn & 1n) === 1n || fn === sn) {
      r = await sha256(new Uint8Array([1]), p, r);
      if ((fn & 1n) === 0n) { while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; } }
    } else {
      r = await sha256(new Uint8Array([1]), r, p);
    }
    fn >>= 1n; sn >>= 1n;
  }
  return sn === 0n ? r : null;
}

/** The signed tree head's Ed25519 signature over its label and canonical JSON (docs/SERVER.md). */
async function headSignatureValid(head) {
  const signed = new TextEncoder().encode(`clash-ledger tree head v1\n{"root_hash":"${head.root_hash}","timestamp_ms":${head.timestamp_ms},"tree_size":${head.tree_size}}`);
  const key = await crypto.subtle.importKey("raw", unhex(head.public_key), { name: "Ed25519" }, false, ["verify"]);
  return crypto.subtle.verify({ name: "Ed25519" }, key, unhex(head.signature), signed);
}

/** Whether event `sequence`, as stored, is in the tree the head signs: its leaf hashed here, its path walked here. */
async function included(sequence, head) {
  const stored = (await text(`/v1/log/entries?from=${sequence}&limit=1`)).replace(/\n$/, "");
  const leaf = await sha256(new Uint8Array([0]), new TextEncoder().encode(stored));
  const proof = await api(`/v1/log/proof?seq=${sequence}&size=${head.tree_size}`);
  const root = await rootFromInclusion(proof.leaf_index, head.tree_size, leaf, proof.inclusion_path);
  return root !== null && hex(root) === head.root_hash && hex(leaf) === proof.leaf_hash;
}

async function ticketPage(ticketId) {
  const [ticket, dispute] = await Promise.all([api(`/v1/tickets/${encodeURIComponent(ticketId)}`), api(`/v1/tickets/${encodeURIComponent(ticketId)}/dispute`)]);
  const status = el("p", { id: "verification" }, "Checking the proof in this browser…");
  show(el("h1", {}, `Ticket ${ticketId} `, el("span", { class: "phase" }, ticket.status)),
    el("p", { class: "muted" }, `On `, link(`/clones/${encodeURIComponent(ticket.clone_id)}`, ticket.clone_id), ` in `, link(`/races/${encodeURIComponent(ticket.race_id)}`, ticket.race_id),
      `, held by `, el("span", { class: "hash" }, ticket.holder), `, bought ${when(ticket.bought_ms)} for ${eth(ticket.price_wei)}.`),
    card("Its payout, step by step", el("ol", { class: "steps" }, dispute.steps.map((step) => el("li", {}, el("strong", {}, `${step.name}: ${eth(step.wei)}`), el("br"),
      el("span", { class: "muted" }, step.formula), el("br"), el("code", {}, Object.entries(step.values).map(([k, v]) => `${k} = ${v}`).join(", "))))),
      el("p", {}, "This ticket is paid ", el("strong", { id: "ticket-wei" }, eth(dispute.ticket_wei)), ".")),
    card("Proof", status));
  try {
    const head = await api("/v1/log/sth");
    const signature = await headSignatureValid(head);
    const sequences = dispute.race.inputs.map((input) => input.sequence);
    if (dispute.race.settlement_sequence) sequences.push(dispute.race.settlement_sequence);
    const checks = await Promise.all(sequences.map((sequence) => included(sequence, head)));
    const all = signature && checks.every(Boolean) && sequences.length > 0;
    status.replaceChildren(el("span", { class: all ? "verified" : "failed" }, all ? "verified" : "NOT verified"),
      ` — the tree head of ${head.tree_size} events is ${signature ? "signed by" : "NOT signed by"} key `, el("span", { class: "hash" }, head.public_key),
      `; ${checks.filter(Boolean).length} of ${sequences.length} events behind this payout (its purchase, the race's opening, end and settlement) hash into its root `,
      el("span", { class: "hash" }, head.root_hash), ", each leaf hashed and each path walked by this browser.");
  } catch (error) {
    status.replaceChildren(el("span", { class: "failed" }, "NOT verified"), ` — ${error.message}`);
  }
}

// ---- routing -------------------------------------------------------------------------------

function report(error) {
  console.error(error);
  show(el("h1", {}, "Something went wrong"), el("p", {}, error.message));
}

const routes = [
  [/^\/$/, arenaPage],
  [/^\/races\/([^/]+)$/, racePage],
  [/^\/clones\/([^/]+)$/, clonePage],
  [/^\/leaderboard$/, leaderboardPage],
  [/^\/hall-of-fame$/, hallOfFamePage],
  [/^\/tickets\/([^/]+)$/, ticketPage],
];

const route = routes.find(([pattern]) => pattern.test(location.pathname));
if (route) {
  route[1](...location.pathname.match(route[0]).slice(1).map(decodeURIComponent)).catch(report);
} else {
  show(el("h1", {}, "Not here"), el("p", {}, "No such page. ", link("/", "The arena")));
}
