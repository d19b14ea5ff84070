/** The dnsmasq configuration the lab servers share; interop tests assert the decoded options against it. */
export const LAB_DNSMASQ_OPTIONS = [
  // The default ICMP address check delays a first offer by ~3 s; the tests do not need it.
  '--no-ping',
  '--dhcp-range=10.77.1.100,10.77.1.150,255.255.255.0,10m',
  '--dhcp-option=option:router,10.77.1.1',
  '--dhcp-option=option:dns-server,10.77.1.53,10.77.1.54',
  '--dhcp-option=option:domain-name,lab.example',
  '--dhcp-option=option:domain-search,lab.example,corp.lab.example',
  '--dhcp-option=option:ntp-server,10.77.1.123',
  '--dhcp-option=121,10.99.0.0/16,10.77.1.254',
  '--dhcp-option=150,10.77.1.69',
];
