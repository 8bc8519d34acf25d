import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tags } from "./tags.ts";

export interface NetworkArgs {
  /** The VPC's address range, a /16 to /24. */
  cidr: string;
}

/** Splits a VPC range into four equal subnets (two public, two private). */
export function subnetCidrs(vpcCidr: string): [string, string, string, string] {
  const [ip, bits] = vpcCidr.split("/") as [string, string];
  const base = ip.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  const prefix = Number(bits) + 2;
  const size = 2 ** (32 - prefix);
  const toIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
  return [0, 1, 2, 3].map((i) => `${toIp(base + i * size)}/${prefix}`) as [
    string,
    string,
    string,
    string,
  ];
}

/**
 * A VPC of its own: two public subnets for the web server and two private subnets for the
 * database, in two availability zones. No NAT gateway: nothing private needs the internet.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpc: aws.ec2.Vpc;
  readonly publicSubnets: aws.ec2.Subnet[];
  readonly privateSubnets: aws.ec2.Subnet[];

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("expense-tracker:network:Network", name, {}, opts);
    const parent = { parent: this };
    const zones = aws.getAvailabilityZonesOutput({ state: "available" }, parent).names;
    const cidrs = subnetCidrs(args.cidr);

    this.vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidr,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: tags(`${name}-vpc`),
      },
      parent,
    );
    // Takes over the VPC's default group and leaves it without rules (CIS EC2.2): anything
    // launched without a group of its own can reach nothing and be reached by nothing.
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: this.vpc.id, tags: tags(`${name}-default-sg`) },
      parent,
    );
    const gateway = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: this.vpc.id, tags: tags(`${name}-igw`) },
      parent,
    );

    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public-rt`,
      { vpcId: this.vpc.id, tags: tags(`${name}-public-rt`) },
      parent,
    );
    new aws.ec2.Route(
      `${name}-public-default`,
      { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: gateway.id },
      parent,
    );
    const privateRoutes = new aws.ec2.RouteTable(
      `${name}-private-rt`,
      { vpcId: this.vpc.id, tags: tags(`${name}-private-rt`) },
      parent,
    );

    const subnet = (
      kind: "public" | "private",
      i: number,
      cidr: string,
      routes: aws.ec2.RouteTable,
    ) => {
      const subnetName = `${name}-${kind}-${i + 1}`;
      const s = new aws.ec2.Subnet(
        subnetName,
        {
          vpcId: this.vpc.id,
          cidrBlock: cidr,
          availabilityZone: zones.apply((z) => {
            const zone = z[i];
            if (!zone)
              throw new Error(
                `this region has fewer than 2 available availability zones (${z.join(", ")})`,
              );
            return zone;
          }),
          mapPublicIpOnLaunch: kind === "public",
          tags: tags(subnetName),
        },
        parent,
      );
      new aws.ec2.RouteTableAssociation(
        `${subnetName}-rta`,
        { subnetId: s.id, routeTableId: routes.id },
        parent,
      );
      return s;
    };
    this.publicSubnets = [0, 1].map((i) => subnet("public", i, cidrs[i] as string, publicRoutes));
    this.privateSubnets = [0, 1].map((i) =>
      subnet("private", i, cidrs[i + 2] as string, privateRoutes),
    );

    this.registerOutputs({ vpcId: this.vpc.id });
  }
}
