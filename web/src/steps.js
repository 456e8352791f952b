// The one vocabulary of verification steps: sdk.Step, read from sdk/_steps.py when the
// bundle is built (web/build.mjs), so every VerificationError of the browser names a step
// exactly as Python does and a browser verdict compares with a Python one step for step.

import { STEPS } from "tanji:steps";

export const Step = Object.freeze({ ...STEPS });
