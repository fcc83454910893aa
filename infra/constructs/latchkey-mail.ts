import { Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { SETTINGS } from '../../shared/config';
import { grantStatement } from './grant-statement';

/** The SES event destination's dimension: SES fills it with the configuration set's name. */
export const MAIL_METRICS_DIMENSION = 'ses:configuration-set';

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export interface LatchkeyMailProps {
  /** The address verification codes are sent from. SES must verify it (or its domain). */
  readonly fromAddress: string;
  /** @default 'Latchkey' */
  readonly fromName?: string;
  /**
   * The SES identity to send as: the from-address itself, or its domain when the domain is already
   * verified in this account (then no identity is created here).
   * @default - the from-address, created as an SES email identity by this construct
   */
  readonly sesIdentity?: string;
}

/**
 * Where verification codes are sent from: a configuration set (reputation metrics, bounces and
 * complaints suppressed, send/delivery/bounce/complaint/reject as CloudWatch metrics for the alarms)
 * and, unless the domain is verified already, an email identity. Both are created beside this
 * construct as `<id>ConfigurationSet` and `<id>Identity`, the logical ids they had before it
 * existed, so an update keeps the verified identity.
 */
export class LatchkeyMail extends Construct {
  /** The From header, e.g. `Latchkey <no-reply@example.com>`. */
  readonly mailFrom: string;
  /** The bare address; `ses:FromAddress` must equal it. */
  readonly fromAddress: string;
  /** ARN of the SES identity mail is sent as. */
  readonly identityArn: string;
  readonly configurationSetName: string;
  readonly configurationSetArn: string;

  constructor(scope: Construct, id: string, props: LatchkeyMailProps) {
    super(scope, id);
    if (!ADDRESS.test(props.fromAddress)) {
      throw new Error(`LatchkeyService: fromAddress "${props.fromAddress}" is not an email address`);
    }
    if (props.fromName !== undefined && /[<>"\r\n]/.test(props.fromName)) {
      throw new Error('LatchkeyService: fromName cannot contain <, >, quotes or line breaks');
    }
    const stack = Stack.of(this);
    const configurationSet = new ses.ConfigurationSet(scope, `${id}ConfigurationSet`, {
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    configurationSet.addEventDestination('MailMetrics', {
      destination: ses.EventDestination.cloudWatchDimensions([
        {
          name: MAIL_METRICS_DIMENSION,
          source: ses.CloudWatchDimensionSource.MESSAGE_TAG,
          defaultValue: 'none',
        },
      ]),
      events: [
        ses.EmailSendingEvent.SEND,
        ses.EmailSendingEvent.DELIVERY,
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.REJECT,
      ],
    });
    const identity = props.sesIdentity ?? props.fromAddress;
    if (props.sesIdentity === undefined) {
      new ses.EmailIdentity(scope, `${id}Identity`, {
        identity: ses.Identity.email(props.fromAddress),
        configurationSet,
      });
    }
    this.mailFrom = `${props.fromName ?? 'Latchkey'} <${props.fromAddress}>`;
    this.fromAddress = props.fromAddress;
    this.identityArn = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity });
    this.configurationSetName = configurationSet.configurationSetName;
    this.configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: configurationSet.configurationSetName,
    });
  }

  /** ses:SendEmail as this identity through this configuration set, and only from this address. */
  grantSend(grantee: iam.IGrantable): iam.Grant {
    return grantStatement('SendVerificationMail', {
      grantee,
      actions: ['ses:SendEmail'],
      resourceArns: [this.identityArn, this.configurationSetArn],
      conditions: { StringEquals: { 'ses:FromAddress': this.fromAddress } },
    });
  }

  /** The settings a function that sends needs beside `grantSend`. */
  get settings(): Record<string, string> {
    return {
      [SETTINGS.mailFrom]: this.mailFrom,
      [SETTINGS.sesConfigurationSet]: this.configurationSetName,
    };
  }
}
