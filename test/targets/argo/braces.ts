/**
 * A flow whose scripts, commands and switch cases are full of `{{` and `}}`, as Python f-strings, format strings and
 * Jinja often are: it checks clean, so it must build for Argo, and Argo must never see a template in its author text.
 */
import type { FlowIR } from '../../../compiler/ir.ts';
import { compileFlow } from './cases.ts';

export const BRACES_FILE = 'test/targets/argo/braces.flow';

const BRACES_FLOW = String.raw`
flow Braces {
  image "python:3.12-slim"
  param name: string = "world"

  step start {
    in name: string
    out x: int
    out greeting: string
    python """
      print(f"{{literal}} {name}")
      greeting = "{{" + name + "}}"
      x = len(f"{{}}")
    """
    next shell
  }

  step shell {
    in greeting: string
    out label: string
    sh """
      printf '%s\n' "{{literal}} $greeting"
      label="}}$greeting{{"
    """
    next pick
  }

  step pick {
    in label: string
    out chosen: string
    run "printf '%s' '\\{{literal}}' > {{out.chosen}}"
    next decide
  }

  step decide {
    in label: string
    next switch label { "}}{{world}}{{" -> yes, else -> end }
  }

  step yes {
    in label: string
    run ["printf", "%s|%s", "\\{{x}}", "{{in.label}}"]
    next end
  }

  step end {}
}
`;

export const bracesIr = (): FlowIR => compileFlow(BRACES_FLOW, BRACES_FILE)[0];

/**
 * Author text of the flow that must not reach a manifest as written (a `}}` alone is no template, so a switch case
 * may keep it, with its `{{` escaped in JSON).
 */
export const BRACES_MARKERS = ['literal', '{{world', '{{x', '$greeting{{'];
