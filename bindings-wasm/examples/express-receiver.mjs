// An Express app receiving Sendivent webhooks with @sendivent/wasm/express. The middleware reads
// the raw body itself, so it works whatever body parsers the rest of the app uses — as long as
// they do not run on this route first (mount it before `app.use(express.json())`).
import express from 'express';
import { sendiventWebhook } from '@sendivent/wasm/express';

/** The app; `onEvent(event, verified)` is called once per webhook (redeliveries are answered 200 without it). */
export function createApp({ secret, onEvent }) {
  const app = express();
  app.post('/webhooks/sendivent', sendiventWebhook({ secret }), async (req, res) => {
    const { event, verified } = req.sendivent;
    await onEvent(event, verified);
    res.sendStatus(204);
  });
  app.use(express.json()); // the rest of the app's JSON routes
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  createApp({
    secret: process.env.SENDIVENT_WEBHOOK_SECRET,
    onEvent: (event) => console.log(event.event, event.delivery.uuid, event.delivery.status),
  }).listen(Number(process.env.PORT ?? 3000));
}
