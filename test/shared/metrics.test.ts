import { describe, expect, it } from 'vitest';
import { countingDecryptFailures } from '../../shared/adapters/counted-decrypter';
import { logger } from '../../shared/logger';
import { countMetric, embeddedMetricFields, METRICS, withMetrics } from '../../shared/metrics';
import { capturedOutput } from '../support/log-capture';

function linesWritten(work: () => unknown): Promise<Record<string, unknown>[]> {
  const before = capturedOutput().length;
  return Promise.resolve(work()).then(() =>
    capturedOutput()
      .slice(before)
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  );
}

describe('embedded metric fields', () => {
  it('put several metrics on one line, adding up repeats with the same dimensions', () => {
    const { fields, rest } = embeddedMetricFields(
      [
        { name: METRICS.keyEvents, value: 1, dimensions: { Event: 'created' } },
        { name: METRICS.codesSent, value: 1, dimensions: {} },
        { name: METRICS.keyEvents, value: 2, dimensions: { Event: 'created' } },
      ],
      1_700_000_000_000,
    );
    expect(rest).toEqual([]);
    expect(fields).toEqual({
      _aws: {
        Timestamp: 1_700_000_000_000,
        CloudWatchMetrics: [
          { Namespace: 'Latchkey', Dimensions: [['Event']], Metrics: [{ Name: 'KeyEvents', Unit: 'Count' }] },
          {
            Namespace: 'Latchkey',
            Dimensions: [[]],
            Metrics: [{ Name: 'VerificationCodesSent', Unit: 'Count' }],
          },
        ],
      },
      Event: 'created',
      KeyEvents: 3,
      VerificationCodesSent: 1,
    });
  });

  it('leave for another line a count whose dimension value would clash', () => {
    const rotated = { name: METRICS.keyEvents, value: 1, dimensions: { Event: 'rotated' } };
    const { fields, rest } = embeddedMetricFields([
      { name: METRICS.keyEvents, value: 1, dimensions: { Event: 'created' } },
      rotated,
    ]);
    expect(fields).toMatchObject({ Event: 'created', KeyEvents: 1 });
    expect(rest).toEqual([rotated]);
  });

  it('take the namespace the stack sets', () => {
    process.env.LATCHKEY_METRICS_NAMESPACE = 'Latchkey/prod';
    try {
      const { fields } = embeddedMetricFields([{ name: METRICS.leakReports, value: 1, dimensions: {} }]);
      expect(fields).toMatchObject({ _aws: { CloudWatchMetrics: [{ Namespace: 'Latchkey/prod' }] } });
    } finally {
      delete process.env.LATCHKEY_METRICS_NAMESPACE;
    }
  });
});

describe('countMetric', () => {
  it('writes a line of its own outside a request, and rides on the next line inside one', async () => {
    const alone = await linesWritten(() => countMetric(METRICS.leakReports));
    expect(alone).toEqual([
      expect.objectContaining({
        level: 'info',
        message: 'metrics',
        LeakReports: 1,
        _aws: expect.any(Object),
      }),
    ]);

    const inside = await linesWritten(() =>
      withMetrics(async () => {
        countMetric(METRICS.keyEvents, { Event: 'created' });
        countMetric(METRICS.keyEvents, { Event: 'rotated' });
        logger.info('request', { status: 200 });
      }),
    );
    expect(inside).toEqual([
      expect.objectContaining({ message: 'request', status: 200, Event: 'created', KeyEvents: 1 }),
      expect.objectContaining({ message: 'metrics', Event: 'rotated', KeyEvents: 1 }),
    ]);
  });
});

describe('countingDecryptFailures', () => {
  it('counts a failed decryption and fails the same way; a success counts nothing', async () => {
    const refused = new Error('AccessDeniedException');
    const failing = countingDecryptFailures({ decryptDataKey: () => Promise.reject(refused) });
    const lines = await linesWritten(() =>
      withMetrics(async () => {
        await expect(failing.decryptDataKey(new Uint8Array(1), {})).rejects.toBe(refused);
        logger.error('authorizer decision', { decision: 'error' });
      }),
    );
    expect(lines).toEqual([expect.objectContaining({ level: 'error', PepperDecryptFailures: 1 })]);

    const working = countingDecryptFailures({ decryptDataKey: async () => new Uint8Array([1]) });
    const quiet = await linesWritten(() => working.decryptDataKey(new Uint8Array(1), {}));
    expect(quiet).toEqual([]);
  });
});
