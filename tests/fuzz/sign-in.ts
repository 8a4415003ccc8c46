/** Signs the fuzz admin in through next-auth's credentials flow and returns the cookie header. */
import { FUZZ_ADMIN } from "./global-setup";

export async function signInFuzzAdmin(base: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${base}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(), origin: base },
    body: new URLSearchParams({ csrfToken, email: FUZZ_ADMIN.email, password: FUZZ_ADMIN.password, json: "true", callbackUrl: "/" }),
  });
  keep(res);
  const cookies = cookieHeader();
  if (!/session-token=/.test(cookies)) throw new Error(`sign-in failed: ${res.status}`);
  return cookies;
}
