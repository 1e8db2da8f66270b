// Node.js side of the zerojwt interop tests.
//
// Protocol: one JSON object on stdin, {"ops": [op, ...]}; one JSON object on
// stdout, {"results": [result, ...]}, results in the order of the ops. The
// process exits 0 whenever the protocol worked, even if single ops failed;
// each result says {"ok": false, "error": "..."} for a failed op.
//
// Byte strings (keys, raw payloads) travel as standard base64.
//
// Ops (lib is "jose" or "jsonwebtoken", alg is "HS256" | "HS384" | "HS512"):
//   {"op":"sign", lib, alg, key, kid?, payload}
//       payload is a JSON object, signed through the library's JWT API.
//       -> {"ok":true, "token"}
//   {"op":"signRaw", lib, alg, key, header?, payload_b64}
//       payload bytes are signed as they are (jose: CompactSign;
//       jsonwebtoken: string payload, so the bytes must be valid UTF-8).
//       header holds extra protected header members.
//       -> {"ok":true, "token"}
//   {"op":"verify", lib, alg, key, token, now, audience?, issuer?}
//       verifies with only alg allowed and the clock fixed at now (seconds).
//       -> {"ok":true, "header", "payload"} | {"ok":false, "error"}

import * as jose from 'jose';
import jsonwebtoken from 'jsonwebtoken';

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

const bytes = (b64) => new Uint8Array(Buffer.from(b64 ?? '', 'base64'));

async function sign(op) {
  const key = bytes(op.key);
  if (op.lib === 'jose') {
    const header = { alg: op.alg, typ: 'JWT' };
    if (op.kid !== undefined) header.kid = op.kid;
    return new jose.SignJWT(op.payload).setProtectedHeader(header).sign(key);
  }
  if (op.lib === 'jsonwebtoken') {
    const opts = { algorithm: op.alg };
    if (op.kid !== undefined) opts.keyid = op.kid;
    // jsonwebtoken keeps a given iat and adds the wall-clock time only when
    // the payload has none (noTimestamp would delete a given iat).
    return jsonwebtoken.sign(op.payload, Buffer.from(key), opts);
  }
  throw new Error(`unknown lib ${op.lib}`);
}

async function signRaw(op) {
  const key = bytes(op.key);
  const payload = bytes(op.payload_b64);
  const extra = op.header ?? {};
  if (op.lib === 'jose') {
    return new jose.CompactSign(payload)
      .setProtectedHeader({ ...extra, alg: op.alg })
      .sign(key);
  }
  if (op.lib === 'jsonwebtoken') {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
    return jsonwebtoken.sign(text, Buffer.from(key), { algorithm: op.alg, header: { ...extra, alg: op.alg } });
  }
  throw new Error(`unknown lib ${op.lib}`);
}

async function verify(op) {
  const key = bytes(op.key);
  if (op.lib === 'jose') {
    const opts = { algorithms: [op.alg], currentDate: new Date(op.now * 1000) };
    if (op.audience !== undefined) opts.audience = op.audience;
    if (op.issuer !== undefined) opts.issuer = op.issuer;
    const { payload, protectedHeader } = await jose.jwtVerify(op.token, key, opts);
    return { header: protectedHeader, payload };
  }
  if (op.lib === 'jsonwebtoken') {
    const opts = { algorithms: [op.alg], clockTimestamp: op.now, complete: true };
    if (op.audience !== undefined) opts.audience = op.audience;
    if (op.issuer !== undefined) opts.issuer = op.issuer;
    const { header, payload } = jsonwebtoken.verify(op.token, Buffer.from(key), opts);
    return { header, payload };
  }
  throw new Error(`unknown lib ${op.lib}`);
}

async function run(op) {
  try {
    switch (op.op) {
      case 'sign':
        return { ok: true, token: await sign(op) };
      case 'signRaw':
        return { ok: true, token: await signRaw(op) };
      case 'verify':
        return { ok: true, ...(await verify(op)) };
      default:
        throw new Error(`unknown op ${op.op}`);
    }
  } catch (err) {
    const code = err && err.code ? `${err.code}: ` : '';
    const name = err && err.name ? `${err.name}: ` : '';
    return { ok: false, error: `${name}${code}${err && err.message}` };
  }
}

const input = JSON.parse(await readStdin());
const results = [];
for (const op of input.ops) {
  results.push(await run(op));
}
process.stdout.write(JSON.stringify({ results }));
