import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { tags } from "./tags.ts";

export interface AppSecretsArgs {
  /** The owner's first password (secret config `ownerPassword`). */
  ownerPassword: pulumi.Input<string>;
  /** Keep deleted secrets recoverable for 7 days instead of deleting them at once. */
  protect: boolean;
}

/**
 * The application's secrets in Secrets Manager: the session key, the CloudFront origin header and
 * the app database role's password (all generated here), and the owner's first password. The instance fetches them with its role
 * when the service starts; they never pass through user data or outputs.
 */
export class AppSecrets extends pulumi.ComponentResource {
  readonly sessionSecretArn: pulumi.Output<string>;
  readonly ownerPasswordArn: pulumi.Output<string>;
  readonly originVerifyArn: pulumi.Output<string>;
  /** The password of the database role the service connects as (the migration unit sets it). */
  readonly dbAppPasswordArn: pulumi.Output<string>;
  /** The header value CloudFront adds to every origin request; nginx refuses requests without it. */
  readonly originVerifyValue: pulumi.Output<string>;
  /** The secrets' values, which must exist before anything fetches them. */
  readonly versions: aws.secretsmanager.SecretVersion[] = [];

  constructor(name: string, args: AppSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("expense-tracker:secrets:AppSecrets", name, {}, opts);
    const parent = { parent: this };
    const sessionKey = new random.RandomPassword(
      `${name}-session-key`,
      { length: 48, special: false },
      parent,
    );
    const originKey = new random.RandomPassword(
      `${name}-origin-key`,
      { length: 40, special: false },
      parent,
    );
    const dbAppPassword = new random.RandomPassword(
      `${name}-db-app-password`,
      { length: 40, special: false },
      parent,
    );

    const secret = (part: string, description: string, value: pulumi.Input<string>) => {
      const s = new aws.secretsmanager.Secret(
        `${name}-${part}`,
        {
          namePrefix: `expense-tracker/${pulumi.getStack()}/${part}-`,
          description,
          recoveryWindowInDays: args.protect ? 7 : 0,
          tags: tags(`${name}-${part}`),
        },
        parent,
      );
      this.versions.push(
        new aws.secretsmanager.SecretVersion(
          `${name}-${part}`,
          { secretId: s.id, secretString: value },
          parent,
        ),
      );
      return s.arn;
    };
    this.sessionSecretArn = secret(
      "session-secret",
      "Signs the expense tracker's cookies and CSRF tokens",
      sessionKey.result,
    );
    this.ownerPasswordArn = secret(
      "owner-password",
      "First password of the expense tracker's owner",
      args.ownerPassword,
    );
    this.originVerifyArn = secret(
      "origin-verify",
      "Header value proving a request came through CloudFront",
      originKey.result,
    );
    this.dbAppPasswordArn = secret(
      "db-app-password",
      "Password of the database role the expense tracker's web service connects as",
      dbAppPassword.result,
    );
    this.originVerifyValue = pulumi.secret(originKey.result);
    this.registerOutputs({});
  }
}
