import { config } from '$lib/server/config';

/** The one redirect URI to register at every provider (README, "Single sign-on"). */
export const oidcRedirectUri = () => `${config.origin}/oidc/callback`;
