// The section that states the rule behind every verdict label of the experiment sections.
import { html } from "./html.js";
import { badge, type Section } from "./section.js";

export function verdictRuleSection(): Section {
  const body = html`<p>Each experiment below trains or builds a residual net and its plain twin from the same seeds, and repeats that for every seed. Numbers read <em>mean ± standard deviation</em> over the seeds.
A verdict names a winner only when the gap between the two means is larger than the two groups' seed ranges (max − min) added together; otherwise it says ${badge("inconclusive", "inconclusive")}. It is a strict test: a winner's every seed did better than every seed of the other twin, by a margin.</p>
<p>Labels in orange favour the residual net, labels in blue the plain twin. Every sentence under "This run" is written from the result files, and every number in it is read from them; the text under "The paper" is the published finding the experiment repeats at a smaller scale.</p>`;
  return { id: "verdicts", title: "Residual against plain: how the verdicts are decided", label: "Verdicts", body, figures: [], status: "ok", summary: "a verdict needs the gap between the means to exceed the sum of both seed ranges" };
}
