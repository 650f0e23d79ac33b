// BuildAndPushAiImage's half of the fault matrix. Five local Azures: its longest cases (a registry that
// keeps failing, ridden out by docker's own upload retries) take minutes of waiting each.
import { describeFaultMatrix } from './fault-matrix-suite';

describeFaultMatrix(['build'], 5);
