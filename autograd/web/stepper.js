// chainrule's step player: the graph's picture is laid out once, and each step of backprop (or
// of the forward pass) is applied to it as styling. Used as it is by the notebook widget (an
// anywidget module: the default export) and by the offline page (which calls mount()).
// Every text from the data goes in with textContent: labels are shown as typed, never parsed.

const FORMAT = 1;
let mounted = 0;

function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}

function button(label, text) {
  const made = element("button", "cr-button", text);
  made.type = "button";
  made.setAttribute("aria-label", label);
  made.title = label;
  return made;
}

// A number as a learner types it: 0.5, -1.5, .5, 1e-3, 3/4, with a Unicode minus or a decimal
// comma. NaN for anything else (the text is never evaluated).
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
export function readNumber(text) {
  let typed = String(text).trim().replace(/[\u2212\u2013]/g, "-").replace(/\s+/g, "");
  if (!typed.includes(".") && /^[^,]*,[^,]*$/.test(typed)) typed = typed.replace(",", ".");
  const parts = typed.split("/");
  if (parts.length > 2 || !parts.every((part) => NUMBER.test(part))) return NaN;
  const number = parts.length === 2 ? Number(parts[0]) / Number(parts[1]) : Number(parts[0]);
  return Number.isFinite(number) ? number : NaN;
}

// Python's autograd.mistakes.same_number, with the tolerance the data carries.
function sameNumber(given, expected, data) {
  return Math.abs(given - expected) <= data.atol + data.rtol * Math.abs(expected);
}

function parseSvg(text) {
  const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
  const svg = parsed.documentElement;
  if (svg.nodeName !== "svg" || parsed.getElementsByTagName("parsererror").length) {
    throw new Error("chainrule: the picture is not valid SVG");
  }
  return document.importNode(svg, true);
}

// What every drawn node and edge looks like at `position`: pending, highlighted, its texts.
function stateAt(data, position) {
  const steps = data.steps;
  const pending = new Set();
  const lit = new Set();
  const values = new Map(); // node id -> text shown (a gradient backward, data forward)
  // Predict mode: the edge of the step the learner is asked about.
  const asked = data.predict && position < steps.length ? steps[position].edge : null;
  if (data.mode === "backward") {
    const applied = new Set();
    for (const node of data.nodes) if (node.grad !== null) pending.add(node.id);
    pending.delete(data.root);
    values.set(data.root, data.root_grad);
    for (let i = 0; i < position; i += 1) {
      const step = steps[i];
      applied.add(step.edge);
      pending.delete(step.parent);
      values.set(step.parent, step.grad_after);
    }
    for (const edge of data.edges) {
      const stepped = data.edgeStep.has(edge.id);
      if ((stepped && !applied.has(edge.id)) || (!stepped && pending.has(edge.to))) {
        pending.add(edge.id);
      }
    }
    if (position === 0) {
      lit.add(data.root);
    } else {
      const step = steps[position - 1];
      lit.add(step.edge).add(step.node).add(step.parent);
    }
  } else {
    for (const node of data.nodes) if (node.computed) pending.add(node.id);
    for (let i = 0; i < position; i += 1) pending.delete(steps[i].node);
    for (const edge of data.edges) if (pending.has(edge.to)) pending.add(edge.id);
    if (position > 0) {
      const step = steps[position - 1];
      lit.add(step.node);
      for (const edge of step.edges) lit.add(edge);
    }
  }
  return { pending, lit, values, asked };
}

function index(data) {
  data.edgeStep = new Map();
  data.parentSteps = new Map();
  data.nodeStep = new Map();
  data.byId = new Map();
  for (const node of data.nodes) data.byId.set(node.id, node);
  for (const edge of data.edges) data.byId.set(edge.id, edge);
  data.steps.forEach((step, i) => {
    if (data.mode === "backward") {
      data.edgeStep.set(step.edge, i);
      if (!data.parentSteps.has(step.parent)) data.parentSteps.set(step.parent, []);
      data.parentSteps.get(step.parent).push(i);
    } else {
      data.nodeStep.set(step.node, i);
    }
  });
}

// Find, in the picture, each node's and edge's group and the texts a step changes.
function findParts(svg, data, prefix) {
  const groups = new Map();
  for (const group of svg.querySelectorAll("g.node[id], g.edge[id]")) {
    groups.set(group.id, group);
    group.id = prefix + group.id; // unique when several players share a page
    for (const title of group.querySelectorAll(":scope > title")) title.remove();
  }
  const parts = new Map();
  const lastText = (group, wanted) => {
    let found = null;
    for (const text of group.querySelectorAll("text")) if (text.textContent === wanted) found = text;
    return found;
  };
  for (const node of data.nodes) {
    const group = groups.get(node.id);
    if (!group) throw new Error(`chainrule: node ${node.id} is missing from the picture`);
    const value =
      data.mode === "backward"
        ? node.grad === null
          ? null
          : lastText(group, `grad ${node.grad}`)
        : lastText(group, `data ${node.data}`);
    parts.set(node.id, { group, value, kind: "node", shown: null, classes: "" });
  }
  for (const edge of data.edges) {
    const group = groups.get(edge.id);
    if (!group) throw new Error(`chainrule: edge ${edge.id} is missing from the picture`);
    const texts = group.querySelectorAll("text");
    const label = texts.length === 1 && texts[0].textContent === edge.formula ? texts[0] : null;
    parts.set(edge.id, { group, value: label, kind: "edge", shown: null, classes: "" });
  }
  return parts;
}

// The predict panel: the question (the input's label), the input, a check button, what the
// last check said and the score. Texts go in with textContent, as everywhere here.
function predictPanel(prefix) {
  const panel = element("div", "cr-predict");
  const row = element("div", "cr-ask-row");
  const label = element("label", "cr-question");
  const input = element("input", "cr-answer");
  input.type = "text";
  input.id = `${prefix}answer`;
  input.inputMode = "decimal";
  input.autocomplete = "off";
  input.spellcheck = false;
  label.htmlFor = input.id;
  const check = button("check my prediction", "check");
  row.append(label, input, check);
  const note = element("div", "cr-note");
  note.hidden = true;
  const feedback = element("div", "cr-feedback");
  feedback.setAttribute("aria-live", "polite");
  const tally = element("div", "cr-tally");
  const score = element("span", "cr-score");
  score.setAttribute("aria-live", "polite");
  const restart = button("start over: clear the score and go back to the first step", "start over");
  tally.append(score, restart);
  panel.append(row, note, feedback, tally);
  return { panel, row, label, input, check, note, feedback, score, restart };
}

export function mount(root, options) {
  const data = options.data;
  if (!data || data.format !== FORMAT) {
    throw new Error(`chainrule: this player reads step data of format ${FORMAT}`);
  }
  index(data);
  const last = data.steps.length;
  const interval = options.interval || 1200;
  mounted += 1;
  const prefix = `cr${mounted}-`;

  const given = root.querySelector("svg");
  const svg = given || parseSvg(options.svg);
  root.textContent = "";
  root.classList.add("chainrule-stepper");
  root.tabIndex = 0;
  root.setAttribute("aria-label", `chainrule: ${data.mode} pass, ${last} steps`);

  const controls = element("div", "cr-controls");
  const previous = button("previous step", "◀");
  const play = button("play", "▶ play");
  const next = button("next step", "▶");
  const slider = element("input", "cr-slider");
  slider.type = "range";
  slider.min = "0";
  slider.max = String(last);
  slider.step = "1";
  slider.setAttribute("aria-label", "step");
  const count = element("span", "cr-count");
  controls.append(previous, play, next, slider, count);
  const explanation = element("div", "cr-explain");
  explanation.setAttribute("role", "status");
  explanation.setAttribute("aria-live", "polite");
  const picture = element("div", "cr-picture");
  picture.append(svg);
  const tip = element("div", "cr-tip");
  tip.setAttribute("role", "tooltip");
  tip.id = `${prefix}tip`;
  tip.hidden = true;
  const legend = element(
    "div",
    "cr-legend",
    "yellow: the current step · faded: not reached yet · hover or click a box or an edge for its numbers",
  );
  const quiz = data.predict ? predictPanel(prefix) : null;
  if (quiz) {
    root.append(controls, explanation, quiz.panel, picture, legend, tip);
    legend.textContent =
      "blue: the step to predict · yellow: the step just revealed · faded: not reached yet · " +
      "hover or click a box or an edge for its numbers";
  } else {
    root.append(controls, explanation, picture, legend, tip);
  }

  const parts = findParts(svg, data, prefix);
  let position = -1;
  let timer = null;
  let pinned = null;
  let state = null;
  let reached = 0; // steps before this were shown (predicted or not): no predicting them now
  const answers = new Map(); // step index -> { given, right, message }

  function apply(target) {
    state = stateAt(data, target);
    for (const [id, part] of parts) {
      const asked = state.asked === id;
      const classes =
        (state.pending.has(id) ? " cr-pending" : "") +
        (state.lit.has(id) ? " cr-lit" : "") +
        (asked ? " cr-ask" : "");
      if (classes !== part.classes) {
        part.group.classList.toggle("cr-pending", state.pending.has(id));
        part.group.classList.toggle("cr-lit", state.lit.has(id));
        part.group.classList.toggle("cr-ask", asked);
        part.classes = classes;
      }
      if (!part.value) continue;
      const item = data.byId.get(id);
      let shown;
      if (part.kind === "edge") {
        shown = item.pending_formula && state.pending.has(id) ? item.pending_formula : item.formula;
      } else if (data.mode === "backward") {
        shown = `grad ${state.pending.has(id) ? "?" : (state.values.get(id) ?? item.grad)}`;
      } else {
        shown = `data ${state.pending.has(id) ? "?" : item.data}`;
      }
      if (shown !== part.shown) {
        part.value.textContent = shown;
        part.shown = shown;
      }
    }
  }

  function go(target, fromUser = true) {
    target = Math.max(0, Math.min(last, Math.trunc(Number(target)) || 0));
    if (target === position) return;
    position = target;
    reached = Math.max(reached, target);
    apply(target);
    explanation.textContent = target === 0 ? data.start : data.steps[target - 1].explain;
    slider.value = String(target);
    count.textContent = `${target} / ${last}`;
    previous.disabled = target === 0;
    next.disabled = target === last;
    if (target === last) stop();
    if (pinned) describe(pinned);
    if (quiz) ask();
    root.dataset.position = String(target);
    if (fromUser && options.onMove) options.onMove(target);
  }

  function stop() {
    if (timer === null) return;
    clearInterval(timer);
    timer = null;
    play.textContent = "▶ play";
    play.setAttribute("aria-label", "play");
    play.title = "play";
  }

  function start() {
    if (timer !== null) return;
    if (position === last) go(0);
    timer = setInterval(() => go(position + 1), interval);
    play.textContent = "❚❚ pause";
    play.setAttribute("aria-label", "pause");
    play.title = "pause";
  }

  function toggle() {
    if (timer === null) start();
    else stop();
  }

  // The lines shown for a node or an edge at the current position.
  function lines(id) {
    const item = data.byId.get(id);
    const pending = state.pending.has(id);
    if (parts.get(id).kind === "edge") {
      const shown = [item.pending_formula && pending ? item.pending_formula : item.formula];
      if (data.mode === "backward" && data.edgeStep.has(id)) {
        const step = data.steps[data.edgeStep.get(id)];
        shown.push(
          pending
            ? `not applied yet (step ${data.edgeStep.get(id) + 1})`
            : `adds ${step.contribution} to ∂${data.loss}/∂${data.byId.get(item.from).name}`,
        );
      }
      return shown;
    }
    const shown = [item.name, `data ${data.mode === "forward" && pending ? "?" : item.data}`];
    if (data.mode === "forward") {
      if (!item.computed) shown.push("an input: known from the start");
      else if (pending) shown.push(`computed at step ${data.nodeStep.get(id) + 1}`);
      else shown.push(data.steps[data.nodeStep.get(id)].explain);
      return shown;
    }
    if (item.grad === null) {
      shown.push("a constant: no gradient");
      return shown;
    }
    shown.push(`grad ${pending ? "?" : (state.values.get(id) ?? item.grad)}`);
    if (id === data.root) shown.push(`∂${data.loss}/∂${data.loss} = 1: backprop starts here`);
    const made = data.parentSteps.get(id) || [];
    const done = made.filter((i) => i < position);
    if (done.length) shown.push("made of:");
    for (const i of done) shown.push(`  step ${i + 1}: ${data.steps[i].explain}`);
    const more = made.length - done.length;
    if (more) shown.push(`${more} more contribution${more === 1 ? "" : "s"} to come`);
    return shown;
  }

  // Predict mode: the question for the step at `position`, and the score so far.
  function ask() {
    const step = data.steps[position];
    let note = "";
    let open = false;
    if (position === last) {
      quiz.label.textContent = "";
      note = "Every step is revealed.";
    } else {
      quiz.label.textContent = `Step ${position + 1} of ${last}: ${step.ask}`;
      const answer = answers.get(position);
      if (answer) {
        note = `You answered ${answer.given}: ${answer.right ? "right" : "not quite"}.`;
      } else if (position < reached) {
        note = "Already revealed: go on to a step not shown yet to predict it.";
      } else {
        open = true;
      }
      quiz.input.value = answer ? answer.given : "";
    }
    quiz.input.disabled = !open;
    quiz.check.disabled = !open;
    quiz.row.hidden = position === last;
    quiz.note.textContent = note;
    quiz.note.hidden = !note;
    const right = [...answers.values()].filter((answer) => answer.right).length;
    quiz.restart.disabled = answers.size === 0 && reached === 0;
    quiz.score.textContent = answers.size
      ? `Score: ${right} of ${answers.size} right`
      : "Score: no predictions yet";
  }

  function checkAnswer() {
    if (quiz.input.disabled) return;
    const step = data.steps[position];
    const given = quiz.input.value.trim();
    const number = readNumber(given);
    if (Number.isNaN(number)) {
      quiz.feedback.textContent = given
        ? `“${given}” is not a number: type one such as -1.5, 0.25 or 3/4.`
        : "Type your number first (such as -1.5, 0.25 or 3/4), then press Enter.";
      quiz.feedback.className = "cr-feedback cr-unsure";
      quiz.input.focus();
      return;
    }
    const right = sameNumber(number, step.expected, data);
    let message;
    if (right) {
      message = `Step ${position + 1}: right, ${step.expected_text}.`;
    } else {
      const slip = step.mistakes.find(([wrong]) => sameNumber(number, wrong, data));
      message = slip
        ? `Step ${position + 1}: not quite (you typed ${given}). ${slip[1]}`
        : `Step ${position + 1}: not quite, expected ${step.expected_text} (you typed ${given}).`;
    }
    answers.set(position, { given, right, message });
    quiz.feedback.textContent = message;
    quiz.feedback.className = `cr-feedback ${right ? "cr-right" : "cr-wrong"}`;
    stop();
    go(position + 1);
    if (!quiz.input.disabled) quiz.input.focus();
  }

  function startOver() {
    stop();
    answers.clear();
    reached = 0;
    quiz.feedback.textContent = "";
    quiz.feedback.className = "cr-feedback";
    if (position === 0) ask();
    else go(0);
    quiz.input.focus();
  }

  function describe(id) {
    tip.textContent = "";
    for (const line of lines(id)) tip.append(element("div", "", line));
    tip.hidden = false;
  }

  function place(event) {
    const box = root.getBoundingClientRect();
    const room = Math.max(0, box.width - tip.offsetWidth - 4);
    tip.style.left = `${Math.min(event.clientX - box.left + 14, room)}px`;
    tip.style.top = `${event.clientY - box.top + 14}px`;
  }

  function partOf(event) {
    const group = event.target.closest ? event.target.closest("g.node, g.edge") : null;
    if (!group || !group.id.startsWith(prefix)) return null;
    const id = group.id.slice(prefix.length);
    return parts.has(id) ? id : null;
  }

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const tag = event.target && event.target.tagName;
    if (tag === "INPUT" && event.target.type === "text") return; // typing a prediction
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      if (tag === "INPUT") return; // the slider moves itself
      event.preventDefault();
      stop();
      go(position + (event.key === "ArrowRight" ? 1 : -1));
    } else if (event.key === " " || event.key === "Spacebar") {
      if (tag === "BUTTON") return; // space presses the focused button
      event.preventDefault();
      toggle();
    }
  }

  const listeners = [
    ...(quiz
      ? [
          [quiz.check, "click", checkAnswer],
          [quiz.restart, "click", startOver],
          [quiz.input, "keydown", (event) => {
            if (event.key !== "Enter") return;
            event.preventDefault();
            event.stopPropagation();
            checkAnswer();
          }],
        ]
      : []),
    [previous, "click", () => { stop(); go(position - 1); }],
    [next, "click", () => { stop(); go(position + 1); }],
    [play, "click", toggle],
    [slider, "input", () => { stop(); go(slider.value); }],
    [root, "keydown", onKey],
    [picture, "pointerover", (event) => {
      const id = partOf(event);
      if (id && !pinned) { describe(id); place(event); }
    }],
    [picture, "pointermove", (event) => { if (!pinned && !tip.hidden) place(event); }],
    [picture, "pointerout", (event) => {
      const to = event.relatedTarget ? partOf({ target: event.relatedTarget }) : null;
      if (!pinned && to === null) tip.hidden = true;
    }],
    [picture, "click", (event) => {
      const id = partOf(event);
      if (id && id !== pinned) { pinned = id; describe(id); place(event); }
      else { pinned = null; tip.hidden = true; }
    }],
  ];
  for (const [target, type, handler] of listeners) target.addEventListener(type, handler);

  // A picture a little wider than the room is shrunk to fit (up to 40%); a big graph keeps
  // its size, so its text stays readable, and scrolls.
  function fit() {
    svg.style.width = "";
    svg.style.height = "";
    const natural = svg.getBoundingClientRect().width;
    const room = picture.clientWidth;
    if (room > 0 && natural > room && room >= 0.6 * natural) {
      svg.style.width = "100%";
      svg.style.height = "auto";
    }
  }
  requestAnimationFrame(fit);

  go(options.position || 0, false);
  return {
    go: (target) => go(target, false),
    key: onKey,
    get position() { return position; },
    destroy() {
      stop();
      for (const [target, type, handler] of listeners) target.removeEventListener(type, handler);
    },
  };
}

// The notebook widget (anywidget): the position is synced with the kernel's Stepper.
function render({ model, el }) {
  const player = mount(el, {
    svg: model.get("svg"),
    data: structuredClone(model.get("data")),
    position: model.get("position"),
    interval: model.get("interval"),
    onMove(position) {
      model.set("position", position);
      model.save_changes();
    },
  });
  const follow = () => player.go(model.get("position"));
  model.on("change:position", follow);
  return () => {
    model.off("change:position", follow);
    player.destroy();
  };
}

export default { render };
