// The JSON API's shapes as the pages read them (the views in json-api/views.ts after a JSON round trip).
import type { deliveryDetailView, deliveryView, onboardingView, partnerView } from '../json-api/views.js';
import type { userView } from '../json-api/user-routes.js';

export type DeliveryJson = ReturnType<typeof deliveryView>;
export type DeliveryDetailJson = ReturnType<typeof deliveryDetailView> & {
  history: { at: string; status: string; note: string }[];
  versions: DeliveryJson[];
};
export type PartnerJson = ReturnType<typeof partnerView>;
export type PartnerDetailJson = PartnerJson & { policy: unknown; commands: { cli: string; boto3: string; js: string } };
export type OnboardingJson = ReturnType<typeof onboardingView>;
export type UserJson = Awaited<ReturnType<typeof userView>> & { password?: string };

export interface DeliveryPageJson {
  deliveries: DeliveryJson[];
  total: number;
  nextCursor: string | null;
}

export interface StatsJson {
  days: { day: string; deliveries: number; bytes: number }[];
  byStatus: Record<string, number>;
  byCode: Record<string, number>;
}

export interface DashboardJson {
  storage: { bytes: number; deliveries: number; byPartner: { partner: string; deliveries: number; bytes: number }[] };
  slowestValidations: { id: string; partner: string; key: string; size: number; status: string; durationMs: number; slowestValidator: string; slowestValidatorMs: number }[];
  sampledDeliveries: number;
}

export interface ExplainJson {
  decision: 'Allow' | 'ImplicitDeny' | 'ExplicitDeny';
  reason: string;
  deciding: { source: string; kind: string; index: number; effect: string; sid?: string }[];
  explanation: string;
}
