/** Organisation vocabulary for generated tenants: departments, titles, sites and group themes. */

export const DEPARTMENTS = [
  'Engineering',
  'Sales',
  'Marketing',
  'Finance',
  'Human Resources',
  'Legal',
  'Operations',
  'Customer Support',
  'Research',
  'IT',
  'Product',
  'Design',
] as const;

/** Titles by seniority: [0] vice presidents, [1] managers, [2] individual contributors. */
export function titlesFor(department: string, level: 0 | 1 | 2): readonly string[] {
  if (level === 0) return [`VP of ${department}`, `Chief ${department} Officer`, `Head of ${department}`];
  if (level === 1) return [`${department} Manager`, `Director of ${department}`, `${department} Team Lead`];
  const byDept: Record<string, readonly string[]> = {
    Engineering: ['Software Engineer', 'Senior Software Engineer', 'Site Reliability Engineer', 'QA Engineer'],
    Sales: ['Account Executive', 'Sales Representative', 'Solutions Consultant'],
    Marketing: ['Marketing Specialist', 'Content Strategist', 'Brand Designer'],
    Finance: ['Financial Analyst', 'Accountant', 'Controller'],
    'Human Resources': ['HR Generalist', 'Recruiter', 'People Partner'],
    Legal: ['Counsel', 'Paralegal', 'Compliance Analyst'],
    Operations: ['Operations Analyst', 'Logistics Coordinator', 'Facilities Specialist'],
    'Customer Support': ['Support Engineer', 'Customer Success Manager', 'Support Specialist'],
    Research: ['Research Scientist', 'Data Scientist', 'Research Assistant'],
    IT: ['Systems Administrator', 'Help Desk Technician', 'Network Engineer'],
    Product: ['Product Manager', 'Program Manager', 'Product Analyst'],
    Design: ['UX Designer', 'UX Researcher', 'Visual Designer'],
  };
  return byDept[department] ?? ['Specialist'];
}

export interface Site {
  city: string;
  country: string;
  usageLocation: string;
  language: string;
  phonePrefix: string;
}

export const SITES: readonly Site[] = [
  { city: 'Seattle', country: 'United States', usageLocation: 'US', language: 'en-US', phonePrefix: '+1 425 555' },
  { city: 'New York', country: 'United States', usageLocation: 'US', language: 'en-US', phonePrefix: '+1 212 555' },
  { city: 'London', country: 'United Kingdom', usageLocation: 'GB', language: 'en-GB', phonePrefix: '+44 20 7946' },
  { city: 'Berlin', country: 'Germany', usageLocation: 'DE', language: 'de-DE', phonePrefix: '+49 30 901820' },
  { city: 'Paris', country: 'France', usageLocation: 'FR', language: 'fr-FR', phonePrefix: '+33 1 99 00' },
  { city: 'Tokyo', country: 'Japan', usageLocation: 'JP', language: 'ja-JP', phonePrefix: '+81 3 5550' },
  { city: 'Shanghai', country: 'China', usageLocation: 'CN', language: 'zh-CN', phonePrefix: '+86 21 5550' },
  { city: 'Bengaluru', country: 'India', usageLocation: 'IN', language: 'hi-IN', phonePrefix: '+91 80 5550' },
  { city: 'Cairo', country: 'Egypt', usageLocation: 'EG', language: 'ar-EG', phonePrefix: '+20 2 5550' },
  { city: 'Athens', country: 'Greece', usageLocation: 'GR', language: 'el-GR', phonePrefix: '+30 21 0555' },
  { city: 'Kyiv', country: 'Ukraine', usageLocation: 'UA', language: 'uk-UA', phonePrefix: '+380 44 555' },
  { city: 'São Paulo', country: 'Brazil', usageLocation: 'BR', language: 'pt-BR', phonePrefix: '+55 11 5550' },
  { city: 'Toronto', country: 'Canada', usageLocation: 'CA', language: 'en-CA', phonePrefix: '+1 416 555' },
  { city: 'Sydney', country: 'Australia', usageLocation: 'AU', language: 'en-AU', phonePrefix: '+61 2 5550' },
];

export const BUILDINGS = ['Building 1', 'Building 7', 'Building 25', 'Tower A', 'Tower B', 'Campus North', 'Remote'] as const;

export const COMPANY = 'Contoso Ltd.';

/** Words used in group names; some are CamelCase so tokenized $search splits them. */
export const PROJECT_CODENAMES = [
  'Phoenix',
  'Atlas',
  'Nebula',
  'OneVideo',
  'DriveSync',
  'BlueHarbor',
  'Kestrel',
  'Polaris',
  'SkyBridge',
  'Quartz',
  'Marlin',
  'Ironwood',
] as const;

export const GROUP_DESCRIPTION_TOPICS = [
  'quarterly planning and roadmap reviews',
  'production incident response',
  'customer onboarding playbooks',
  'budget approvals and expense reports',
  'security access to finance dashboards',
  'release coordination and launch readiness',
  'hiring loops and interview feedback',
  'video production and streaming content',
  'data retention and compliance audits',
  'office events and social activities',
] as const;
