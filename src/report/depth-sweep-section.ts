// "When should you use them?": from the depth sweep, the shallowest depth at which the plain twin
// trains worse than the residual net beyond the seed spread, for each dataset.
import type { DegradationConfig } from "../experiments/degradation.js";
import type { DepthSweepAnswer, DepthSweepData } from "../experiments/depth-sweep.js";
import type { ExperimentResult } from "../experiments/experiment.js";
import { formatNumber, formatSpread, listInProse } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import { netRecipeText } from "./recipe-text.js";
import { verdictLabel, type SectionContent } from "./section.js";

/** Writes the depth sweep's result for one dataset as a sentence led by the dataset's name. */
export function depthSweepSentence(answer: DepthSweepAnswer): string {
  return `${answer.dataset}: ${depthSweepAnswer(answer)}`;
}

/** Writes from which depth the residual net trains better than its plain twin beyond the seed spread, for one dataset. */
export function depthSweepAnswer(answer: DepthSweepAnswer): string {
  const depths = answer.gaps.map((gap) => gap.depth);
  const shallowest = Math.min(...depths);
  if (answer.neededFromDepth === null) {
    return `at no depth up to ${answer.deepestTried} did the residual net train better than its plain twin beyond the seed spread; with this recipe, plain nets of these depths are enough.`;
  }
  const plainBetter = answer.gaps.filter((gap) => gap.better === "plain").map((gap) => gap.depth);
  const plainNote = plainBetter.length > 0 ? ` The plain net trained better at ${listInProse(plainBetter.map(String))} layers.` : "";
  if (answer.neededFromDepth === shallowest) {
    return `the residual net trained better already at ${shallowest} layers, the shallowest depth tried, so use residual connections at every depth tried here.${plainNote}`;
  }
  return `the residual net first trained better beyond the seed spread at ${answer.neededFromDepth} layers; below that it was not better beyond the spread, so residual connections pay from about ${answer.neededFromDepth} layers on.${plainNote}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function answerTable(answer: DepthSweepAnswer): SafeHtml {
  const rows = answer.gaps.map(
    (gap) =>
      html`<tr><td>${gap.depth}</td><td>${formatSpread(gap.residualTrainLoss)}</td><td>${formatSpread(gap.plainTrainLoss)}</td><td>${formatNumber(gap.gap)}</td><td>${verdictLabel(gap.better, "residual", "plain")}</td></tr>`,
  );
  return html`<table class="numbers"><thead><tr><th>depth</th><th>residual train loss</th><th>plain train loss</th><th>gap (plain − residual)</th><th>trains better</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function depthSweepSection(result: ExperimentResult<DegradationConfig, DepthSweepData>): SectionContent {
  const { data, config } = result;
  const answers = data.answers.map((answer) => html`<h3>${answer.dataset}</h3><p class="answer">${capitalise(depthSweepAnswer(answer))}</p>${answerTable(answer)}`);
  const body = html`<p>An identity shortcut adds no parameters and one addition per block, so the question is not what residual connections cost but from which depth a plain net falls behind. The depth sweep answers it for each dataset from the final training loss of ${netRecipeText(config.recipe, config.seeds)}.</p>
${answers}
<p class="aside">The answer holds for this recipe and these depths. He et al. 2015 saw plain-56 train worse than plain-20 on CIFAR-10 under a full training schedule; a short schedule can hide a gap that a long one shows, or show one that a long one closes.</p>`;
  return { body, figures: [], status: "ok", summary: data.answers.map(depthSweepSentence).join(" ") };
}
