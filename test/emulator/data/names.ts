/**
 * Name corpora in several scripts. Each entry is `native|romanized`; the romanized
 * part (folded to ASCII once, here) builds the user principal name, as a tenant's provisioning would.
 */
export type Script = 'latin' | 'cyrillic' | 'greek' | 'cjk' | 'japanese' | 'arabic' | 'devanagari';

export interface NamePool {
  given: readonly (readonly [string, string])[];
  surnames: readonly (readonly [string, string])[];
  /** CJK names are written surname first without a space. */
  order: 'western' | 'eastern' | 'easternSpaced';
}

function parse(list: string): (readonly [string, string])[] {
  return list.split(',').map((entry) => {
    const [native = '', roman] = entry.trim().split('|');
    return [native, asciiFold(roman ?? native)] as const;
  });
}

/** Strips diacritics (José → Jose) and drops anything a UPN may not contain. */
export function asciiFold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[Øø]/g, 'o')
    .replace(/[Łł]/g, 'l')
    .replace(/[Ææ]/g, 'ae')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}

export const NAME_POOLS: Record<Script, NamePool> = {
  latin: {
    order: 'western',
    given: parse(
      'Ana,José,François,Zoë,Björn,Søren,Łukasz,Małgorzata,Renée,Chloé,Jürgen,Mónica,Noémie,Ağa,Çağla,Ines,Liam,Olivia,Noah,Emma,' +
        'Mateo,Sofía,Lucas,Mia,Elif,Håkon,Ines,Tomás,Dorothée,Siobhán,Grégoire,Ærin,Nuño,Kristýna,Zoltán,Amélie,Oskar,Ingrid,Priya,Kwame',
    ),
    surnames: parse(
      "García,Müller,Dubois,Nowak,Kovač,Smith,Johansson,Rossi,Fernández,Novák,Öztürk,Øberg,Łukasiewicz,Nuñez,O'Brien,Brontë,Schäfer," +
        "Lefèvre,Wiśniewska,Dvořák,Þórsson,Hernández,Martín,Kowalski,Jensen,Costa,Silva,Mensah,D'Angelo,van der Berg,MacLeod,Ferreira",
    ),
  },
  cyrillic: {
    order: 'western',
    given: parse('Иван|ivan,Мария|maria,Алексей|aleksei,Ольга|olga,Дмитрий|dmitri,Анна|anna,Сергей|sergei,Елена|elena,Богдан|bohdan,Ірина|iryna'),
    surnames: parse('Иванов|ivanov,Петрова|petrova,Смирнов|smirnov,Кузнецова|kuznetsova,Шевченко|shevchenko,Попов|popov,Соколова|sokolova,Ковальчук|kovalchuk'),
  },
  greek: {
    order: 'western',
    given: parse('Γιώργος|giorgos,Μαρία|maria,Νίκος|nikos,Ελένη|eleni,Δημήτρης|dimitris,Σοφία|sofia,Κώστας|kostas,Αθηνά|athina'),
    surnames: parse('Παπαδόπουλος|papadopoulos,Οικονόμου|oikonomou,Γεωργίου|georgiou,Νικολάου|nikolaou,Ιωάννου|ioannou,Βλάχος|vlachos'),
  },
  cjk: {
    order: 'eastern',
    given: parse('伟|wei,芳|fang,娜|na,敏|min,静|jing,磊|lei,洋|yang,婷|ting,杰|jie,欣怡|xinyi,子轩|zixuan,雨桐|yutong'),
    surnames: parse('王|wang,李|li,张|zhang,刘|liu,陈|chen,杨|yang,黄|huang,赵|zhao,吴|wu,周|zhou'),
  },
  japanese: {
    order: 'easternSpaced',
    given: parse('太郎|taro,花子|hanako,翔|sho,さくら|sakura,健太|kenta,美咲|misaki,ゆい|yui,大輔|daisuke'),
    surnames: parse('佐藤|sato,鈴木|suzuki,高橋|takahashi,田中|tanaka,渡辺|watanabe,伊藤|ito,山本|yamamoto,中村|nakamura'),
  },
  arabic: {
    order: 'western',
    given: parse('محمد|mohammed,فاطمة|fatima,أحمد|ahmed,مريم|maryam,علي|ali,ليلى|layla,يوسف|youssef,نور|nour'),
    surnames: parse('العلي|alali,حداد|haddad,منصور|mansour,الخطيب|alkhatib,سليمان|suleiman,عثمان|othman'),
  },
  devanagari: {
    order: 'western',
    given: parse('आरव|aarav,प्रिया|priya,विवान|vivaan,अनन्या|ananya,राहुल|rahul,दीपिका|deepika,अर्जुन|arjun,कविता|kavita'),
    surnames: parse('शर्मा|sharma,वर्मा|verma,गुप्ता|gupta,सिंह|singh,पटेल|patel,अय्यर|iyer,जोशी|joshi'),
  },
};

/** Relative frequency of each script in a generated tenant. */
export const SCRIPT_WEIGHTS: readonly (readonly [Script, number])[] = [
  ['latin', 58],
  ['cyrillic', 8],
  ['greek', 5],
  ['cjk', 9],
  ['japanese', 6],
  ['arabic', 6],
  ['devanagari', 8],
];

/** External domains guests are invited from. */
export const GUEST_DOMAINS = ['fabrikam.example', 'northwind.example', 'adventure-works.example', 'tailspin.example'] as const;
