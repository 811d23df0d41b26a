// "What residual connections are": the definition, the two block diagrams and where the idea
// came from. The only section that reads no result.
import { resnetBlockFigure, transformerBlockFigure } from "./block-diagrams.js";
import { html } from "./html.js";
import { figureBlock, type Section } from "./section.js";

export function introductionSection(): Section {
  const resnetBlock = resnetBlockFigure();
  const transformerBlock = transformerBlockFigure();

  const body = html`
<p class="definition">A residual connection adds a layer's input to its output:
<span class="equation"><em>y</em> = <em>x</em> + <em>F</em>(<em>x</em>)</span></p>
<p>The layers compute only <em>F</em>, the change to their input, and the identity path carries <em>x</em> through unchanged.
Its gradient is <span class="equation">∂<em>y</em>/∂<em>x</em> = <em>I</em> + ∂<em>F</em>/∂<em>x</em></span>: however small ∂<em>F</em>/∂<em>x</em> becomes, the error signal reaches the block's input through the identity term.
He et al. 2015 argued that this is easier to optimise: a block whose best contribution is nothing only has to drive <em>F</em> toward zero, instead of fitting an identity map with a stack of nonlinear layers.
Each experiment below trains such a network and its <em>plain twin</em>: the same layers, the same initialisation and the same data, with the shortcut removed, so that <em>y</em> = <em>F</em>(<em>x</em>).</p>
<div class="figure-row">
${figureBlock(resnetBlock)}
${figureBlock(transformerBlock)}
</div>
<h3>Where the idea came from</h3>
<ol class="timeline">
<li><span class="year">1997</span> <strong>LSTM's constant error carousel</strong> (Hochreiter and Schmidhuber). A recurrent memory cell feeds its own state back with a fixed weight of 1, so the error flows back through time without shrinking or growing; multiplicative gates decide what enters and leaves the cell. It let recurrent networks bridge time lags of more than 1,000 steps.</li>
<li><span class="year">2015</span> <strong>Highway Networks</strong> (Srivastava, Greff and Schmidhuber). The same idea across layers instead of time steps: <span class="equation"><em>y</em> = <em>H</em>(<em>x</em>)·<em>T</em>(<em>x</em>) + <em>x</em>·(1 − <em>T</em>(<em>x</em>))</span>, with a learned transform gate <em>T</em>. Feedforward networks with hundreds of layers trained with plain stochastic gradient descent.</li>
<li><span class="year">2015</span> <strong>ResNets</strong> (He, Zhang, Ren and Sun). The gate is dropped and the shortcut is the identity, with no parameters: <span class="equation"><em>y</em> = <em>x</em> + <em>F</em>(<em>x</em>)</span>. Nets of 152 layers won the ImageNet classification task of ILSVRC 2015, and the paper showed that plain nets get <em>worse</em> on the training set as they get deeper, which residual nets do not (the degradation experiment below).</li>
<li><span class="year">2017</span> <strong>Transformers</strong> (Vaswani et al.). Every attention and feedforward sublayer sits inside a residual connection, so a Transformer is a stream of vectors that each layer reads from and adds to: the <em>residual stream</em>.</li>
</ol>`;

  return {
    id: "residual-connections",
    title: "What residual connections are",
    label: "Residual connections",
    body,
    figures: [resnetBlock, transformerBlock],
    status: "ok",
    summary: "y = x + F(x): an identity path around each block, from LSTM (1997) through Highway Networks and ResNets (2015) to Transformers (2017).",
  };
}
