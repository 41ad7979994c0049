// What the webhook route handled (a demo; a real app would act on each event).
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json(globalThis.sendiventReceived ?? []);
}
