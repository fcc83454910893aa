/**
 * Package entry point: the constructs another CDK app reuses. Route handlers are bundled from this
 * package's own source tree, so install it as a dependency (not a copy of infra/).
 */

export { ROUTES, type RouteDefinition } from '../shared/routes';
export {
  accessFor,
  type FunctionAccess,
  type LatchkeyBackend,
  type MailReference,
  type PepperReference,
} from './constructs/access';
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
export {
  type LatchkeyOidcIssuer,
  LatchkeyService,
  type LatchkeyServiceProps,
  MAIL_METRICS_DIMENSION,
} from './constructs/latchkey-service';
export { LatchkeyPepper, type LatchkeyPepperProps } from './constructs/pepper';
export { buildLatchkeyApp, LatchkeyStack, type LatchkeyStackProps, servicePropsFromContext } from './stack';
