/**
 * Settings shared by the commands' AWS clients. A stuck request must not hang the command
 * (Ctrl-C only stops the waiting between polls), hence the time limits.
 */
export function awsClientConfig(region: string | undefined) {
  return {
    region,
    maxAttempts: 5,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
  };
}
