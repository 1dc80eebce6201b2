import { describe, expect, it } from 'vitest';
import { parseConfig } from '../main.ts';
import { assembleTestApiServer } from '../testing/tls-test-server.ts';
import { extensionAuthenticationData } from './extension-authentication.ts';

const rh = { clientCa: 'FRONT-PROXY-CA', allowedNames: ['front-proxy-client'], usernameHeaders: ['X-Remote-User'], groupHeaders: ['X-Remote-Group'], extraHeaderPrefixes: ['X-Remote-Extra-'] };

describe('extension-apiserver-authentication', () => {
  it.each<[string, Parameters<typeof extensionAuthenticationData>[0], Record<string, string> | undefined]>([
    ['nothing configured', {}, undefined],
    ['client CA only', { clientCa: 'CA' }, { 'client-ca-file': 'CA' }],
    [
      'front proxy settings as JSON lists',
      { clientCa: 'CA', requestHeader: rh },
      {
        'client-ca-file': 'CA',
        'requestheader-client-ca-file': 'FRONT-PROXY-CA',
        'requestheader-allowed-names': '["front-proxy-client"]',
        'requestheader-username-headers': '["X-Remote-User"]',
        'requestheader-group-headers': '["X-Remote-Group"]',
        'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
      },
    ],
  ])('%s', (_n, input, expected) => {
    expect(extensionAuthenticationData(input)).toEqual(expected);
  });

  it('is published in kube-system with its reader Role', async () => {
    const server = await assembleTestApiServer({ aggregation: { extensionAuthentication: { clientCa: 'CA', requestHeader: rh } } });
    try {
      const cm = await server.app.inject({ method: 'GET', url: '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication' });
      expect(cm.statusCode).toBe(200);
      expect(cm.json().data['requestheader-allowed-names']).toBe('["front-proxy-client"]');
      expect(cm.json().metadata.uid).toBeTruthy();
      const role = await server.app.inject({ method: 'GET', url: '/apis/rbac.authorization.k8s.io/v1/namespaces/kube-system/roles/extension-apiserver-authentication-reader' });
      expect(role.json().rules).toEqual([{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['extension-apiserver-authentication'] }]);
    } finally {
      await server.close();
    }
  });

  it('parses the --proxy-client-* and --requestheader-* flags', () => {
    const config = parseConfig(['--insecure-http', '--proxy-client-cert-file', 'c.pem', '--proxy-client-key-file', 'k.pem', '--requestheader-client-ca-file', 'ca.pem', '--requestheader-allowed-names', 'front-proxy-client,aggregator']);
    expect(config).toMatchObject({ proxyClientCertFile: 'c.pem', proxyClientKeyFile: 'k.pem', requestheaderClientCaFile: 'ca.pem', requestheaderAllowedNames: ['front-proxy-client', 'aggregator'], requestheaderUsernameHeaders: ['X-Remote-User'], requestheaderGroupHeaders: ['X-Remote-Group'], requestheaderExtraHeadersPrefix: ['X-Remote-Extra-'] });
    expect(() => parseConfig(['--insecure-http', '--proxy-client-cert-file', 'c.pem'])).toThrow(/--proxy-client-cert-file and --proxy-client-key-file go together/);
  });
});
