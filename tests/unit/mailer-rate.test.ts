import type { SESClient } from '@aws-sdk/client-ses';
import { describe, expect, it } from 'vitest';
import { isThrottled, Mailer, RateLimiter } from '#shared/adapters/mailer.ts';

const mail = (to: string[]) => ({ to, subject: '件名', text: '本文', html: '<p>本文</p>' }) as never;

describe('mail at SES’s sending rate', () => {
  it('spaces sends at the rate after one second’s burst', async () => {
    let now = 0;
    const waits: number[] = [];
    const limiter = new RateLimiter(
      10,
      () => now,
      async (ms) => {
        waits.push(ms);
        now += ms;
      },
    );
    for (let i = 0; i < 25; i++) await limiter.take();
    // 10 at once, then one every 100 ms: 15 more take 1.5 s.
    expect(waits.length).toBe(15);
    expect(now).toBeCloseTo(1500, 5);
  });

  it('tries a throttled mail again, and gives up on the daily quota at once', async () => {
    const throttle = Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' });
    const quota = Object.assign(new Error('Daily message quota exceeded.'), { name: 'Throttling' });
    expect(isThrottled(throttle)).toBe(true);
    expect(isThrottled(quota)).toBe(false);
    let calls = 0;
    const client = {
      send: async () => {
        calls++;
        if (calls <= 3) throw throttle;
        return { MessageId: `id-${calls}` };
      },
    } as unknown as SESClient;
    const slept: number[] = [];
    const mailer = new Mailer(client, 'noreply@city.example.jp', { perSecond: 1000, sleep: async (ms) => void slept.push(ms) });
    expect(await mailer.send(mail(['a@example.jp']))).toEqual(['id-4']);
    expect(calls).toBe(4);

    const refusing = new Mailer({ send: async () => Promise.reject(quota) } as unknown as SESClient, 'noreply@city.example.jp', { sleep: async () => {} });
    await expect(refusing.send(mail(['a@example.jp']))).rejects.toThrow('Daily message quota exceeded.');
  });
});
