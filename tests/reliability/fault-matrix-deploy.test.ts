// DeployToAci's half of the fault matrix.
import { describeFaultMatrix } from './fault-matrix-suite';

describeFaultMatrix(['deploy'], 5);
