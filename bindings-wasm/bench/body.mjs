// The webhook bodies of the benchmarks: a Sendivent delivery.failed event padded to the size.
export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

export function eventBody(size) {
  const base = {
    event: 'delivery.failed',
    delivery: {
      uuid: '6f1c7d2e-8a4b-4c1e-9f3a-2b5d7e9c1a04',
      channel: 'email',
      status: 'failed',
      event_name: 'user.welcome',
      message_id: '0100018c-ses-4f2a',
      sent_at: '2026-11-28T12:00:00Z',
      delivered_at: null,
      error: '',
    },
    request_id: 'req_01HF8Z3K9Q',
    timestamp: '2026-11-28T12:00:01Z',
  };
  const pad = size - JSON.stringify(base).length;
  base.delivery.error = 'x'.repeat(Math.max(0, pad));
  const body = JSON.stringify(base);
  if (body.length !== size) throw new Error(`body is ${body.length} bytes, wanted ${size}`);
  return body;
}
