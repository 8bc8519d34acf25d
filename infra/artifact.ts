import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tags } from "./tags.ts";

export interface ArtifactStoreArgs {
  /** Path of the built service (from `buildService`). */
  file: string;
  /** Its sha256; part of the object key, and checked by the instance before installing. */
  sha256: string;
  /** Let `pulumi destroy` empty and delete the bucket. */
  forceDestroy: boolean;
}

/** A private, encrypted bucket holding the exact file `npm run build` produced. */
export class ArtifactStore extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly key: string;
  readonly object: aws.s3.BucketObjectv2;

  constructor(name: string, args: ArtifactStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("expense-tracker:artifact:ArtifactStore", name, {}, opts);
    const parent = { parent: this };
    this.bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { forceDestroy: args.forceDestroy, tags: tags(`${name}-bucket`) },
      parent,
    );
    const block = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: this.bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: this.bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" },
            bucketKeyEnabled: true,
          },
        ],
      },
      parent,
    );
    this.key = `releases/expense-tracker-${args.sha256}.mjs`;
    this.object = new aws.s3.BucketObjectv2(
      `${name}-release`,
      {
        bucket: this.bucket.id,
        key: this.key,
        source: new pulumi.asset.FileAsset(args.file),
        contentType: "text/javascript",
        tags: tags(`${name}-release`),
      },
      { ...parent, dependsOn: [block] },
    );
    this.registerOutputs({ bucket: this.bucket.id, key: this.key });
  }
}
