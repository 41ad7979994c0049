// A Next.js (App Router) route handler receiving Sendivent webhooks with @sendivent/wasm/fetch.
// next.config.mjs lists '@sendivent/wasm' in serverExternalPackages, so Node loads its
// WebAssembly module itself.
import { webhookHandler } from '@sendivent/wasm/fetch';

globalThis.sendiventReceived ??= [];

export const POST = webhookHandler({ secret: () => process.env.SENDIVENT_WEBHOOK_SECRET }, async (event, { verified }) => {
  // Called once per webhook: a redelivery is answered 200 without reaching here.
  globalThis.sendiventReceived.push({ event, verified });
});
