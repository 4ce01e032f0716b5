// Connect-time SSRF checks of the webhook sender, against a real local receiver: with private
// targets not allowed, a name resolving to 127.0.0.1 (localhost) and address literals in any
// spelling are refused before a byte is sent; allowed (tests only), the same receiver answers.
import { WebhookSender } from '../src/webhooks/webhook-sender.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

describe('webhook targets at connect time', () => {
  let receiver: WebhookReceiver;
  const strict = new WebhookSender(false);
  const lenient = new WebhookSender(true);

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
  });
  afterAll(async () => {
    await Promise.all([strict.close(), lenient.close(), receiver.close()]);
  });

  const send = (sender: WebhookSender, host: string) =>
    sender.send({
      url: `http://${host}:${receiver.port}/hook`,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });

  it.each(['localhost', '127.0.0.1', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '2130706433'])(
    'refuses %s',
    async (host) => {
      const result = await send(strict, host);
      expect(result).toMatchObject({ status: null, error: 'target refused' });
      expect(receiver.received).toHaveLength(0);
    },
  );

  it('reaches the same receiver when private targets are allowed', async () => {
    expect(await send(lenient, 'localhost')).toMatchObject({ status: 200, error: null });
    expect(await send(lenient, '127.0.0.1')).toMatchObject({ status: 200, error: null });
    expect(receiver.received).toHaveLength(2);
  });
});
