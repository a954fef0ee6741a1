# Сауалнама өрісінің жанында көрсетілетін тексеру қателері.
# Әр ProblemKey үшін бір хабарлама (core/src/validate/problems.rs); идентификаторлар өзгермейді.

problem-iin-length = ЖСН дәл 12 цифрдан тұруы керек.
problem-iin-not-digits = ЖСН тек 0–9 цифрларынан тұруы керек.
problem-iin-check-digit = ЖСН жарамсыз. Оны жеке куәлікпен салыстырыңыз: цифр қате терілген болуы мүмкін.
problem-iin-birth-date-mismatch = Туған күні ЖСН-ге сәйкес келмейді. Екеуін де тексеріңіз (шетел азаматының ЖСН-і өзгеше болуы мүмкін).
problem-iin-sex-mismatch = Жынысы ЖСН-ге сәйкес келмейді. Екеуін де тексеріңіз.
problem-duplicate-member = Бұл адам отбасы құрамында бұрыннан көрсетілген.
problem-birth-date-in-future = Туған күні болашақта болуы мүмкін емес.
problem-birth-date-too-early = Туған күні 1900 жылдан бұрын.
problem-text-empty = Бұл өріс бос болмауы керек.
problem-text-too-long = Мәтін тым ұзын.
problem-no-head = Отбасы мүшелерінің бірін отбасы басшысы ретінде белгілеңіз.
problem-extra-head = Отбасы басшысы тек бір адам болуы мүмкін.
problem-consent-required = Дербес деректерді енгізбес бұрын оларды жинауға және өңдеуге келісімді ресімдеңіз.
problem-amount-out-of-range = Сома теріс немесе шектен тыс үлкен болмауы керек.
problem-unknown-member = Отбасы құрамына кірмейтін адам көрсетілген.
problem-cares-for-self = Отбасы мүшесін өзіне-өзі күтім жасайтын адам ретінде көрсетуге болмайды.
problem-month-in-future = Бұл ай әлі келген жоқ.
problem-month-too-early = Ай 2000 жылғы қаңтардан бұрын.
problem-livestock-head-out-of-range = Мал басының саны шектен тыс көп.
problem-land-area-out-of-range = Жер учаскесінің аумағы шектен тыс үлкен.
problem-vehicle-year-out-of-range = Көліктің шығарылған жылы дұрыс емес.
problem-consent-expires-before-recorded = Келісімнің қолданылу мерзімі ол ресімделген күннен бұрын аяқталады.
problem-rent-without-rent-tenure = Жалдау ақысы көрсетілген, бірақ отбасы тұрғын үйді жалға алмайды.
problem-no-members = Кемінде бір отбасы мүшесін қосыңыз.
problem-required = Сауалнаманы аяқтау үшін бұл өрісті толтырыңыз.
problem-consent-transfer-required = Сауалнаманы аяқтау үшін деректерді орталық тізілімге беруге рұқсат беретін жарамды келісім қажет.
