/**
 * Package entry point: the constructs another CDK app reuses. Route handlers are bundled from this
 * package's own source tree, so install it as a dependency (not a copy of infra/).
 */

export { ROUTES, type RouteDefinition } from '../shared/routes';
export { grantAccess, type LatchkeyBackend } from './constructs/access';
export { LatchkeyAlarms, type LatchkeyAlarmsProps } from './constructs/latchkey-alarms';
export {
  AUTHORIZER_HANDLER_FILE,
  LatchkeyAuthorizer,
  type LatchkeyAuthorizerProps,
  type LatchkeyHttpRoute,
  type LatchkeyRestRoute,
} from './constructs/latchkey-authorizer';
export { LatchkeyDashboard, type LatchkeyDashboardProps } from './constructs/latchkey-dashboard';
export {
  LATCHKEY_RUNTIME,
  LatchkeyFunction,
  type LatchkeyFunctionProps,
} from './constructs/latchkey-function';
export { LatchkeyMail, type LatchkeyMailProps, MAIL_METRICS_DIMENSION } from './constructs/latchkey-mail';
export {
  CLI_REDIRECT_URI,
  LatchkeyManagementApi,
  type LatchkeyManagementApiProps,
  type LatchkeyOidcIssuer,
} from './constructs/latchkey-management-api';
export { LatchkeyService } from './constructs/latchkey-service';
export type { LatchkeyServiceProps } from './constructs/latchkey-service-props';
export { LatchkeyStage, type LatchkeyStageProps } from './constructs/latchkey-stage';
export {
  LatchkeyTable,
  type LatchkeyTableAttributes,
  type LatchkeyTableProps,
} from './constructs/latchkey-table';
export { LatchkeyTableBase } from './constructs/latchkey-table-base';
export {
  LatchkeyPepper,
  type LatchkeyPepperAttributes,
  LatchkeyPepperBase,
  type LatchkeyPepperProps,
} from './constructs/pepper';
export { buildLatchkeyApp, LatchkeyStack, type LatchkeyStackProps, servicePropsFromContext } from './stack';
