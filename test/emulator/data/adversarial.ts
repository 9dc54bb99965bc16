/**
 * Hostile but legal directory values. Graph stores whatever an admin typed, so a
 * client must render these as inert text: no HTML, no command links, no layout tricks.
 */
export interface HostileUser {
  givenName: string;
  surname: string;
  displayName: string;
  jobTitle?: string;
  department?: string;
}

export interface HostileGroup {
  displayName: string;
  description: string;
}

const LONG_NAME = ('Extremely Long Display Name ' + 'x'.repeat(256)).slice(0, 256);

export const HOSTILE_USERS: readonly HostileUser[] = [
  { givenName: '<img src=x onerror=alert(1)>', surname: 'Markup', displayName: '<img src=x onerror=alert(1)>' },
  { givenName: 'Script', surname: 'Kiddie', displayName: '<script>window.__pwned=1</script>', jobTitle: '<b>Bold</b> Engineer' },
  { givenName: 'Siobhán', surname: "O'Brien", displayName: "Siobhán O'Brien", jobTitle: "Director of Ops' \"Special\" Projects" },
  { givenName: 'Quote', surname: 'Both', displayName: 'Sam "The Hammer" O\'Neil', department: 'It\'s "complicated"' },
  { givenName: 'Back', surname: 'Slash', displayName: 'C:\\Users\\evil\\ \\\\server\\share', jobTitle: 'Escape \\u0041 artist' },
  { givenName: 'مريم', surname: 'כהן', displayName: 'مريم כהן (RTL) mixed', jobTitle: 'מנהלת מוצר' },
  { givenName: 'Override', surname: 'Trick', displayName: 'Invoice \u202Efdp.exe', jobTitle: '\u202Erotartsinimda' },
  { givenName: 'Emoji', surname: 'Fan', displayName: '🦄 Unicorn 🚀 Rocket 👩‍👩‍👧‍👦', jobTitle: '🔥 Chief Fire Officer' },
  { givenName: 'Long', surname: 'Name', displayName: LONG_NAME },
  { givenName: 'Java', surname: 'Script', displayName: 'javascript:alert(document.cookie)', jobTitle: 'javascript:void(0)' },
  { givenName: 'Mark', surname: 'Down', displayName: '[x](command:workbench.action.quit)', jobTitle: '**bold** _it_ `code` $(alert)' },
  { givenName: 'Template', surname: 'Injector', displayName: '${7*7} {{constructor.constructor("alert(1)")()}}', jobTitle: 'Line one\nLine two\r\n\tTabbed' },
  { givenName: 'Zalgo', surname: 'Combining', displayName: 'Z̷̢͉a̵l̸g̴o\u200B\u200Dzero\u2060width', department: '\u0000null byte' },
];

export const HOSTILE_GROUPS: readonly HostileGroup[] = [
  { displayName: '<img src=x onerror=alert(1)> Group', description: '<script>window.__pwned=1</script>' },
  { displayName: "Ops' \"Quoted\" \\ Group", description: 'Backslash \\ and quote " and apostrophe \'' },
  { displayName: 'فريق المبيعات \u202Eputes', description: 'RTL override \u202E inside description' },
  { displayName: '🚀 Launch Crew 🎉', description: 'Emoji-only 🦄🦄🦄 description' },
  { displayName: ('Long Group ' + 'y'.repeat(256)).slice(0, 256), description: 'A 256 character display name' },
  { displayName: '[Open me](command:workbench.action.quit)', description: 'javascript:alert(1) and [link](https://example.invalid)' },
];
