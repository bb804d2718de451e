/** A uvu suite whose context holds an S3-protocol server on loopback (one bucket), a sandbox and the AWS env pods need. */
import { suite } from 'uvu';
import { startS3, type LocalS3 } from '../../python/helpers.ts';
import { sandbox, type Sandbox } from '../local/helpers.ts';

export interface S3Context {
  s3: LocalS3;
  box: Sandbox;
  aws: Record<string, string>;
}

export function s3Suite(name: string, bucket: string) {
  const s = suite<S3Context>(name);
  s.before(async (ctx) => {
    ctx.s3 = await startS3(bucket);
    ctx.box = sandbox();
    ctx.aws = { ...ctx.s3.env, AWS_ENDPOINT_URL_S3: ctx.s3.endpoint };
  });
  s.after(async (ctx) => {
    await ctx.s3?.close();
  });
  return s;
}
