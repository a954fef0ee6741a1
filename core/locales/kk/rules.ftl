# Komek алдын ала тексеруі: есеп, атаулы әлеуметтік көмек, ортақ атаулар (қазақша).

## Есеп

report-title = Komek: көмек алу құқығын алдын ала тексеру
report-header = Ережелер пакеті { $version } · { $region } · { $date } күнгі есеп
report-pre-check-not-decision = Бұл шешім емес, алдын ала тексеру ғана. Өтініш бойынша шешімді аудандық комиссия қабылдайды.
report-notes = Ескертпелер:
report-note-pack-does-not-cover-date = Ережелер пакеті { $valid_from } бастап { $valid_until } дейін қолданылады; бұл күн оның мерзімінен тыс, сандар ескірген болуы мүмкін.
report-note-no-parameters = Ережелер пакетінде { $date } күнге параметрлер жоқ: ештеңе тексерілмеді.
report-no-programmes = Бірде-бір бағдарлама тексерілмеді.
report-amount-monthly = Болжамды сома: айына { $amount }
report-amount-one-time = Болжамды сома: біржолғы { $amount }
report-margin-below = Шектен бір адамға { $amount } төмен.
report-margin-above = Шектен бір адамға { $amount } жоғары.
report-steps = Қалай есептелді:
report-excluded-incomes = Есепке алынбайтын табыстар:
report-excluded-income = { $income }: { $amount } ({ $reason })
report-flags = Тексеру керек (нәтижені өзгертуі мүмкін):
report-documents = Қандай құжаттар алу керек:
report-confidence = Қолданылған ережелердің сенімділігі: { $confidence }
report-advisory = Ұсынымдық баға: төлемге құқық емес.
report-missing-fields = Толтырыңыз: { $fields }
report-member = { $number }-отбасы мүшесі ({ $relation })
quarter-value = { $year } жылғы { $q }-тоқсан

outcome-likely-eligible = Құқығыңыз болуы ықтимал
outcome-needs-review = Маманның тексеруі қажет
outcome-likely-not-eligible = Құқығыңыз болмауы ықтимал
outcome-missing-information = Мәліметтер жетіспейді

confidence-verified = ресми дереккөздерде расталған
confidence-likely = ықтимал (бір қосалқы дереккөз)
confidence-unverified = расталмаған: қолданылуы мүмкін

## Бағдарламалар

programme-targeted_social_assistance = Атаулы әлеуметтік көмек (АӘК)
programme-childbirth = Бала тууына байланысты біржолғы жәрдемақы
programme-childcare = Бала бір жарым жасқа толғанға дейін оның күтіміне арналған жәрдемақы
programme-large_family = Көпбалалы отбасыға берілетін жәрдемақы
programme-awarded_mothers = Алқалармен және ордендермен марапатталған көпбалалы аналарға жәрдемақы
programme-disability = Мүгедектігі бойынша мемлекеттік әлеуметтік жәрдемақы
programme-carer = Мүгедектігі бар баланы тәрбиелеп отырған ата-анаға жәрдемақы
programme-breadwinner = Асыраушысынан айырылу жағдайы бойынша жәрдемақы
programme-special_services = Арнаулы әлеуметтік қызметтер
programme-advisory_expenditure = Шығыстар мен табыстар (ұсынымдық)
programme-advisory_risk_flags = Тәуекелдің ерте белгілері (ұсынымдық)

## Атаулы әлеуметтік көмек

tsa-step-reference-quarter = Өтініш тоқсаны: { $applied }. { $quarter } ішінде алынған табыстар есептеледі.
tsa-step-income-counted = { $income }: { $amount } есепке алынады ({ $reason }).
tsa-step-income-total = Отбасының { $quarter } ішіндегі есепке алынатын табысы: { $total }.
tsa-step-pci = Жан басына шаққандағы табыс: { $total } ÷ { $members } адам ÷ { $months } ай = айына { $pci }.
tsa-step-line-published = { $region } бойынша { $quarter } үшін жарияланған кедейлік шегі: { $line }.
tsa-step-line-estimated-pm = { $national ->
        [1] Республика бойынша ең төмен күнкөріс деңгейі
       *[0] Ең төмен күнкөріс деңгейі ({ $region })
    }, { $pm_quarter }: { $pm }; оның { $share } мөлшері — { $line }.
tsa-step-line-median = Медианалық табыс: { $median }; оның { $share } мөлшері — { $line }.
tsa-step-line-median-unknown = Өңірдің медианалық табысы ережелер пакетінде жоқ, сондықтан тек ең төмен күнкөріс деңгейі қолданылады.
tsa-step-line-max = Кедейлік шегі екі мәннің үлкеніне тең: { $line }.
tsa-step-line-estimated = { $region } бойынша { $quarter } үшін жарияланған кедейлік шегі жоқ: есептік шек { $line }.
tsa-step-below-line = Жан басына шаққандағы табыс { $pci } кедейлік шегінен ({ $line }) аспайды: { $difference } төмен.
tsa-step-above-line = Жан басына шаққандағы табыс { $pci } кедейлік шегінен ({ $line }) бір адамға { $difference } асады.
tsa-step-amount = Көмек: ({ $line } − { $pci }) × { $members } = { $margin } × { $members } = айына { $amount }.
tsa-step-child-supplement = Балаларға қосымша төлем: { $min_age }–{ $max_age } жастағы { $children } бала × { $coefficient } АЕК ({ $mrp }) = { $per_child } × { $children } = айына { $amount }.
tsa-step-total = Болжамды көмектің жиыны: айына { $amount }.
tsa-step-unconditional-single-retired = Шартсыз көмек: { $member } жалғыз тұрады және зейнеткерлік жасқа толған.
tsa-step-unconditional-single-disabled = Шартсыз көмек: { $member } жалғыз тұрады және I немесе II топтағы мүгедектігі бар.
tsa-step-unconditional-single-ill = Шартсыз көмек: { $member } жалғыз тұрады және екі айдан астам еңбекке жарамсыздығы күтілетін ауру.
tsa-step-unconditional-no-able-bodied = Шартсыз көмек: отбасында еңбекке қабілетті адам жоқ.
tsa-step-unconditional-sole-carer = Шартсыз көмек: отбасының еңбекке қабілетті жалғыз мүшесі, { $member }, күтім жасайды: { $cared }.
tsa-step-conditional = Шартты көмек: еңбекке қабілетті { $able_bodied } отбасы мүшесі жұмыспен қамтуға жәрдемдесу шараларына қатысуы тиіс.
tsa-step-social-contract = Отбасымен әлеуметтік келісімшарт жасалады. Ол бұзылса, төлемдер тоқтатылады және { $months } ай бойы көмектен бас тартылады.
tsa-step-district-farming-not-income = Аудан әкімдігі малды, құсты және жерді табыс әкелмейді деп таныды: қосалқы шаруашылық табысы есепке алынбайды.
tsa-step-where-to-apply = Еңбек мобильділігі орталығына, ауыл немесе ауылдық округ әкіміне не egov.kz порталына жүгінуге болады. Жауап: орталықта { $centre_days } жұмыс күні, әкім арқылы { $akim_days } жұмыс күні, басқа органдардан сұратылса { $max_days } күнтізбелік күнге дейін.

tsa-flag-no-income-in-reference-quarter = Есепке алынатын тоқсанда ({ $quarter }) табыс жазылмаған. Табыстардың айларын тексеріңіз.
tsa-flag-line-from-earlier-pm = { $quarter } үшін ең төмен күнкөріс деңгейі ережелер пакетінде жоқ; { $pm_quarter } деңгейі қолданылды. Шек нақтысынан төмен болуы мүмкін.
tsa-flag-line-national-pm = Ережелер пакетінде өңір ({ $region }) үшін ең төмен күнкөріс деңгейі жоқ; республикалық деңгей қолданылды. Кедейлік шегін маман тексеруі керек.
tsa-flag-line-unknown = Ережелер пакетінде { $region }, { $quarter } үшін кедейлік шегі де, ең төмен күнкөріс деңгейі де жоқ.
tsa-flag-asset-loans = Бас тартуға әкелуі мүмкін: ипотекадан басқа қарыздар ({ $loans }) отбасының әр мүшесіне { $coefficient } ең төмен күнкөріс деңгейінен асады ({ $members } адамға { $limit }).
tsa-flag-asset-deposits = Бас тартуға әкелуі мүмкін: салымдар ({ $deposits }) { $coefficient } АЕК-тен ({ $limit }) асады.
tsa-flag-asset-cars = Бас тартуға әкелуі мүмкін: отбасында { $cars } автокөлік бар ({ $max }-ден көп), ал отбасы көпбалалы емес және мүгедектігі бар баланы тәрбиелемейді.
tsa-flag-farming-income-may-count = Отбасында мал немесе жер бар, бірақ қосалқы шаруашылық табысы жазылмаған. Аудан оларды табыс әкелмейді деп танымаса, орган олардан табысты есепке алуы мүмкін.
tsa-flag-permanent-residence = Шетелдіктер мен азаматтығы жоқ адамдар Қазақстанда тұрақты тұрса ғана жүгіне алады.

## Табыс неге есепке алынады немесе алынбайды

income-reason-counted-wages = жалақы есепке алынады
income-reason-counted-social-payment = әлеуметтік төлемдер есепке алынады
income-reason-counted-alimony = алимент есепке алынады
income-reason-counted-subsidiary-farming = жеке қосалқы шаруашылықтан түсетін табыс есепке алынады
income-reason-counted-business = кәсіпкерлік табыс есепке алынады
income-reason-counted-property = мүлік пен көлікті жалға беруден немесе сатудан түсетін табыс есепке алынады
income-reason-counted-securities = бағалы қағаздардан түсетін табыс есепке алынады
income-reason-counted-gift = сыйға алынған мүлік пен мұра есепке алынады
income-reason-counted-credit = кредиттер мен микрокредиттер есепке алынады
income-reason-counted-free-of-charge = өтеусіз алынған ақша есепке алынады
income-reason-counted-deposit-interest = депозиттер бойынша сыйақы есепке алынады
income-reason-counted-transfer = ақша аударымдары есепке алынады
income-reason-counted-winnings = ұтыстар есепке алынады
income-reason-counted-large-family = көпбалалы отбасыға жәрдемақы есепке алынады
income-reason-counted-employment-measures = жұмыспен қамту шараларынан төлемдер есепке алынады
income-reason-counted-housing-certificate = тұрғын үй сертификаттары есепке алынады
income-reason-counted-other = орган басқаша шешпесе, басқа табыс есепке алынады
income-reason-excluded-relocation = көшуге арналған біржолғы төлем есепке алынбайды
income-reason-excluded-tsa = атаулы әлеуметтік көмектің өзі есепке алынбайды
income-reason-excluded-housing-assistance = тұрғын үй көмегі есепке алынбайды
income-reason-excluded-funeral = жерлеуге арналған біржолғы жәрдемақылар есепке алынбайды
income-reason-excluded-child-disability = балаларға мүгедектігі бойынша жәрдемақылар есепке алынбайды
income-reason-excluded-special-child-disability = мүгедектігі бар балаларға арнаулы мемлекеттік жәрдемақылар есепке алынбайды
income-reason-excluded-scholarship = шәкіртақы есепке алынбайды (расталуы керек)
income-reason-excluded-awarded-mothers = марапатталған аналарға жәрдемақы есепке алынбайды (расталуы керек)
income-reason-excluded-district-not-income-generating = аудан малды және жерді табыс әкелмейді деп таныды

## Табыс түрлері

income-wages = Жалақы
income-pension = Зейнетақы
income-social_benefit = Әлеуметтік жәрдемақы
income-adult_disability_benefit = Мүгедектігі бойынша жәрдемақы (ересекке)
income-survivor_benefit = Асыраушысынан айырылу жағдайы бойынша жәрдемақы
income-childcare_benefit = Бала күтіміне арналған жәрдемақы
income-carer_benefit = Мүгедектігі бар адамға күтім жасағаны үшін жәрдемақы
income-alimony = Алимент
income-subsidiary_farming = Жеке қосалқы шаруашылық
income-business = Кәсіпкерліктен түсетін табыс
income-property_rent_or_sale = Мүлікті жалға беру немесе сату
income-securities = Бағалы қағаздар
income-gift_or_inheritance = Сыйға алынған мүлік және мұра
income-credit = Кредиттер мен микрокредиттер
income-free_of_charge = Өтеусіз алынған ақша
income-deposit_interest = Депозиттер бойынша сыйақы
income-money_transfer = Ақша аударымдары
income-winnings = Ұтыстар
income-large_family_allowance = Көпбалалы отбасыға жәрдемақы
income-employment_measures = Жұмыспен қамту шараларынан төлемдер
income-employment_relocation_one_time = Көшуге арналған біржолғы төлем
income-housing_certificate = Тұрғын үй сертификаты
income-targeted_social_assistance = Атаулы әлеуметтік көмек
income-housing_assistance = Тұрғын үй көмегі
income-funeral_allowance = Жерлеуге арналған жәрдемақы
income-child_disability_benefit = Мүгедектігі бар балаға жәрдемақы
income-special_child_disability_benefit = Мүгедектігі бар балаға арнаулы мемлекеттік жәрдемақы
income-scholarship = Шәкіртақы
income-awarded_mothers_allowance = Марапатталған аналарға жәрдемақы
income-other = Басқа табыс

## Құжаттар

doc-application = Өтініш
doc-identity_document = Жеке басын куәландыратын құжат (немесе цифрлық құжат)
doc-bank_account = Өтініш берушінің атындағы банк шоты (IBAN)
doc-alimony_certificate = Есепке алынатын тоқсандағы алимент туралы анықтама
doc-unemployment_certificate = Жұмыссыз мәртебесі туралы анықтама
doc-marriage_certificate = Неке туралы куәлік
doc-divorce_certificate = Некені бұзу туралы куәлік
doc-birth_certificate = Туу туралы куәлік
doc-disability_certificate = Мүгедектік туралы анықтама
doc-medical_card = Медициналық карта
doc-rehabilitation_programme_extract = Оңалтудың жеке бағдарламасынан үзінді көшірме
doc-court_decision_on_incapacity = Әрекетке қабілетсіз деп тану туралы сот шешімі
doc-death_certificate = Қайтыс болу туралы куәлік
doc-income_certificate = Табыс туралы анықтама
doc-other = Басқа құжат

## Отбасы басшысына туыстығы

relation-head = отбасы басшысы
relation-spouse = жұбайы
relation-child = бала
relation-stepchild = өгей бала
relation-grandchild = немере
relation-parent = ата-ана
relation-grandparent = ата немесе әже
relation-sibling = бауыр
relation-other_relative = басқа туыс
relation-not_related = туыс емес

## Өңірлер

region-abai = Абай облысы
region-akmola = Ақмола облысы
region-aktobe = Ақтөбе облысы
region-almaty_region = Алматы облысы
region-atyrau = Атырау облысы
region-west_kazakhstan = Батыс Қазақстан облысы
region-zhambyl = Жамбыл облысы
region-zhetysu = Жетісу облысы
region-karaganda = Қарағанды облысы
region-kostanay = Қостанай облысы
region-kyzylorda = Қызылорда облысы
region-mangystau = Маңғыстау облысы
region-pavlodar = Павлодар облысы
region-north_kazakhstan = Солтүстік Қазақстан облысы
region-turkistan = Түркістан облысы
region-ulytau = Ұлытау облысы
region-east_kazakhstan = Шығыс Қазақстан облысы
region-astana = Астана қаласы
region-almaty = Алматы қаласы
region-shymkent = Шымкент қаласы

## Белгісіздік, отбасы құрамы, бас тарту, дөңгелектеу (issue 12)
report-flag-pack-out-of-date = Тексеру керек: ереже пакеті { $valid_from } бастап { $valid_until } дейін жарамды, бұл күн одан тыс. Заң өзгеруі мүмкін; жаңа ереже пакеті керек.
tsa-review-line-lower-bound = Тексеру керек: 2025 жылдан кедейлік шегі медианалық табыстың 35%-ы мен ең төмен күнкөріс деңгейінің 70%-ының үлкені, ал ереже пакетінде { $region } өңірінің { $quarter } медианалық табысы жоқ. { $line } шегі тек төменгі шек; нақты шек жоғары болуы мүмкін.
tsa-step-member-not-counted = { $member } отбасы құрамында есептелмейді ({ $absence }).
tsa-step-member-absent-counted = { $member } жоқ болса да отбасы құрамында есептеледі ({ $absence }); маман растайды.
tsa-step-unconditional-lone-minor = Шартсыз көмек: { $member } — жалғыз тұратын кәмелетке толмаған.
tsa-step-unconditional-sole-carer-inferred = Шартсыз көмек: { $member } — отбасының жалғыз еңбекке қабілетті мүшесі, ал { $cared } күтімді қажет етеді (отбасы құрамынан шығарылды; күтімді кім жасайтынын нақтылаңыз).
tsa-step-refusal-bar = Көмек { $date } күні берілмеді немесе тоқтатылды ({ $reason }): { $months } ай көмек тағайындалмайды. Отбасы { $until } бастап қайта өтініш бере алады.
tsa-flag-asset-card-spending = Бас тартуға әкелуі мүмкін: айына карта шығыстары { $spending } ÷ { $members } = бір адамға { $per_member }, бұл кедейлік шегінен { $line } асады.
tsa-step-credit-counted-once = { $quarter } алынған несиелер (қалдығы { $amount }) сол тоқсанның табысы ретінде есептелді, сондықтан несие тексеруіне кірмейді: несие бір рет есептеледі.
tsa-flag-farming-partly-not-income = Аудан шешімі шаруашылықтың тек бір бөлігін (малды немесе жерді) табыс әкелмейтін деп таниды; шаруашылықтан { $amount } табыс толық есептелді. Малдан және жерден қанша алынғанын көрсетіңіз.
tsa-step-rounding-tiyn = Тиынға дейін төленеді: { $amount } → { $paid }.
tsa-step-rounding-whole-tenge = Бүтін теңгемен төленеді (жарты теңге жоғары дөңгелектенеді): { $amount } → { $paid }.
review-age-near-limit = Тексеру керек: { $member } туған күні емес, тек жасы белгілі, және ол шекке жақын ({ $limit }). Туған айы мен жылын сұраңыз.
limit-child-supplement = 1 жастан 6 жасқа дейінгі балаларға үстеме
limit-adult = 18 жас, еңбекке қабілетті жас
limit-retirement = зейнет жасы
limit-childbirth-window = бала туғанда берілетін жәрдемақыға өтінім берудің 12 айы
limit-childcare = 18 айға дейінгі бала күтімі жәрдемақысы
limit-large-family = 18 жасқа дейінгі балалар, 23 жасқа дейінгі студенттер
limit-special-services-child = 18 айдан 18 жасқа дейінгі балаларға үйде қызмет көрсету
absence-abroad = шетелде
absence-military_service = мерзімді әскери қызметте
absence-prison = бас бостандығынан айыру орнында
absence-state_care = толық мемлекеттік қамтамасыз етуде
refusal-refused_employment_measures = жұмыспен қамту шараларынан бас тартты
refusal-broken_social_contract = әлеуметтік келісімшарт бұзылды

## Кодтардың атаулары (l10n::label)
disability-none = Мүгедектігі жоқ
disability-group_i = I топтағы мүгедектік
disability-group_i_i = II топтағы мүгедектік
disability-group_i_i_i = III топтағы мүгедектік
disability-child = Мүгедектігі бар бала
activity-employed = Жалдамалы жұмыста
activity-self_employed = Өзін-өзі жұмыспен қамтыған
activity-unemployed = Жұмыссыз
activity-homemaker = Үй шаруасында
activity-pensioner = Зейнеткер
activity-student_full_time = Күндізгі оқу нысанындағы студент
activity-child = Бала (жұмыс істемейді)
activity-carer = Күтім жасайды
