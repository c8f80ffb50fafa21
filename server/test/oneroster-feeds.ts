/*
 * OneRoster 1.1 bulk bundles of any size, made up, for the hostile-input tests and the benchmark:
 * each pupil is a users.csv row and an enrollments.csv row in a homeroom class of thirty.
 * `noisy` gives every pupil two grades: a warning per row, each naming its own pupil.
 */

export interface FeedShape {
  readonly pupils: number;
  readonly estab: string;
  readonly noisy?: boolean;
  /** Leave out enrollment start dates and the school year, as some exports do. */
  readonly undated?: boolean;
}

export function oneRosterBundle({
  pupils,
  estab,
  noisy = false,
  undated = false,
}: FeedShape): Map<string, string> {
  const stamp = '2026-09-01T08:00:00.000Z';
  const org = 'org-school';
  const users = [
    'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades',
  ];
  const classes = [
    'sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods',
  ];
  const enrollments = [
    'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate',
  ];
  for (let c = 0; c * 30 < pupils; c++)
    classes.push(`c${c},active,${stamp},Class ${c},,,C${c},homeroom,,${org},year,,,`);
  for (let i = 0; i < pupils; i++) {
    enrollments.push(
      `e${i},active,${stamp},c${Math.floor(i / 30)},${org},p${i},student,true,${undated ? '' : '2026-09-02'},`,
    );
    const year = String(1 + (i % 6)).padStart(2, '0');
    const grades = noisy ? `"${year},07"` : year;
    users.push(
      `p${i},active,${stamp},true,${org},student,pupil${i},,Pupil${i},Family${i % 997},,,,,,,${grades}`,
    );
  }
  return new Map([
    [
      'manifest.csv',
      'propertyName,value\r\nmanifest.version,1.0\r\noneroster.version,1.1\r\nfile.users,bulk\r\nfile.orgs,bulk\r\nfile.academicSessions,bulk\r\nfile.classes,bulk\r\nfile.enrollments,bulk\r\n',
    ],
    [
      'orgs.csv',
      `sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\r\n${org},active,${stamp},Big Trust Academy,school,${estab},\r\n`,
    ],
    [
      'academicSessions.csv',
      `sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\r\nyear,active,${stamp},2026-27,${undated ? 'term' : 'schoolYear'},2026-09-01,2027-08-31,,2027\r\n`,
    ],
    ['users.csv', `${users.join('\r\n')}\r\n`],
    ['classes.csv', `${classes.join('\r\n')}\r\n`],
    ['enrollments.csv', `${enrollments.join('\r\n')}\r\n`],
  ]);
}
