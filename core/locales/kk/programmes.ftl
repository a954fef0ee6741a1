# АӘК-тен басқа жәрдемақы бағдарламалары (қазақша). core/src/rules/programmes/ ішіндегі әр файлға бір бөлім.

## Бала туу (programmes/childbirth.rs)

childbirth-step-newborn = { $member } { $born } күні туған.
childbirth-step-order = { $member } — отбасындағы { $order }-бала.
childbirth-step-amount = Біржолғы жәрдемақы: { $coefficient } АЕК × { $mrp } = { $amount }.
childbirth-flag-order-counts-all-children = Ананың барлық балалары, оның ішінде бөлек тұратындары да есептеледі: бұл оның 4-баласы немесе одан кейінгісі болса, жәрдемақы { $later } АЕК болады.

## Көпбалалы отбасыға жәрдемақы (programmes/large_family.rs)

large-family-step-children = Есепке алынған балалар: { $children } (отбасымен бірге тұратын { $minors } жасқа толмаған балалар және { $students } жасқа толмаған күндізгі оқу нысанындағы студенттер).
large-family-step-amount = Ай сайынғы жәрдемақы: { $coefficient } АЕК × { $mrp } = { $amount }.
large-family-flag-already-received = Отбасы бұл жәрдемақыны қазірдің өзінде алады: сомасының сәйкестігін тексеріңіз.

## Марапатталған аналар (programmes/awarded_mothers.rs)

awarded-mothers-step-award = { $member } марапатталған: { $award }.
awarded-mothers-step-amount = Өмір бойы ай сайынғы жәрдемақы: { $coefficient } АЕК × { $mrp } = { $amount }.
award-kumis_alqa = «Күміс алқа» алқасы
award-altyn_alqa = «Алтын алқа» алқасы
award-mother_heroine = «Батыр ана» атағы
award-maternal_glory_i = I дәрежелі «Ана даңқы» ордені
award-maternal_glory_ii = II дәрежелі «Ана даңқы» ордені

## Бала бір жарым жасқа толғанға дейін күтім (programmes/childcare.rs)

childcare-step-young-child = { $member } { $born } туған; жәрдемақы { $until } дейін төленеді.
childcare-step-order = { $member } — отбасындағы { $order }-бала.
childcare-step-amount = Ай сайынғы жәрдемақы: { $coefficient } АЕК × { $mrp } = { $amount }.
childcare-flag-insured-parent = Ата-ананың жалақысы бар, ол әлеуметтік сақтандыру жүйесіне қатысуы мүмкін, ол жүйе күтім бойынша өз төлемін төлейді. Маманның тексеруі қажет.

## Мүгедектік бойынша мемлекеттік жәрдемақы (programmes/disability.rs)

disability-step-child-under-7 = { $member } — мүгедектігі бар бала, { $age } жаста (7 жасқа дейін).
disability-step-since-childhood = { $member }, { $age } жаста, — бала кезден мүгедек (7-18 жастағы балалар мен бала кезден мүгедектерге арналған мөлшерлеме).
disability-step-general-illness = { $member }, { $age } жаста, — жалпы аурудан мүгедектік.
disability-step-amount = Ай сайынғы жәрдемақы: { $coefficient } × ең төменгі күнкөріс деңгейі { $pm } = { $amount }.
disability-flag-group-unknown = Мүгедектік тобы сауалнамада көрсетілмеген, ал сома соған байланысты: I топ — { $group_i }, II — { $group_ii }, III — { $group_iii } ең төменгі күнкөріс деңгейі. Ең азы көрсетілді.
disability-flag-already-received = Бұл адам мүгедектік бойынша жәрдемақыны қазірдің өзінде алады: сомасының сәйкестігін тексеріңіз.

## Мүгедектігі бар баланы күту (programmes/carer.rs)

carer-step-cares-for = { $member } мүгедектігі бар баланы күтеді: { $child }.
carer-step-published = { $year } жылғы ай сайынғы жәрдемақы: { $amount }.
carer-step-estimated = Ереже пакетінде осы жылға сома жарияланбаған; бағалау: { $coefficient } × ең төменгі күнкөріс деңгейі { $pm } = { $amount }.

## Асыраушысынан айырылу (programmes/breadwinner.rs)

breadwinner-step-dependants = Отбасындағы қайтыс болған асыраушының асырауындағылар: { $dependants } (18 жасқа толмаған балалар, 23 жасқа толмаған студенттер, мүгедектігі бар адамдар, зейнет жасындағы жұбайы немесе ата-анасы).
breadwinner-step-amount = Ай сайынғы жәрдемақы: { $coefficient } × ең төменгі күнкөріс деңгейі { $pm } = { $amount }.
breadwinner-step-share = { $dependants } адамға тең бөлінеді: әрқайсысына { $share }.

## Арнаулы әлеуметтік қызметтер (programmes/special_services.rs)

special-services-ground-child-disability = { $member } — 1,5 жастан 18 жасқа дейінгі мүгедектігі бар бала: үйде көрсетілетін қызметтерге құқығы болуы мүмкін (психоневрологиялық немесе тірек-қимыл бұзылыстары кезінде).
special-services-ground-disability-no-support = { $member } I немесе II топтағы мүгедек, ал отбасында көмектесе алатын еңбекке қабілетті кәмелетке толған балалары немесе жұбайы жоқ.
special-services-ground-elderly-no-support = { $member } зейнет жасында, өзін-өзі күте алмайды, ал отбасында көмектесе алатын еңбекке қабілетті кәмелетке толған балалары немесе жұбайы жоқ.
special-services-step-where = Аудандық жұмыспен қамту және әлеуметтік бағдарламалар бөліміне жүгініңіз; маман қажеттілікті бағалайды (үйде күтім, күндізгі болу, уақытша болу немесе стационар).
special-services-flag-already-receives = Бұл адам арнаулы әлеуметтік қызметтерді қазірдің өзінде алады.

## Ұсынымдық бағалаулар (programmes/advisory.rs)

advisory-step-expenses = Отбасының негізгі шығыстары: айына { $amount }.
advisory-step-income = Есепке алынатын табыс: айына { $amount } (есептік тоқсан бойынша орташа).
advisory-step-standard = Шығыстардың ең төменгі стандарты: { $share } × ең төменгі күнкөріс деңгейі { $pm } × { $members } адам = айына { $amount }.
advisory-step-gap = Табыс минус шығыстар мен стандарттың үлкені: айына { $amount }.
advisory-flag-near-miss = Бас тарту адам басына небәрі { $over } айырмашылықпен ({ $limit } кем): табыстың немесе кедейлік шегінің аздаған өзгерісі жауапты өзгертеді. Қайта қарауға тұрарлық.
advisory-flag-child-disability-no-services = { $member } — арнаулы әлеуметтік қызметтер алмайтын мүгедектігі бар бала.
advisory-flag-sole-carer-no-income = { $member } — жалғыз ересек, 3 жасқа толмаған баланы күтеді және табысы жоқ.
advisory-flag-rent-over-half = Жалдау ақысы { $rent } есепке алынатын табыстың { $income } жартысынан асады.
advisory-flag-food-loans = Отбасы азық-түлік сатып алуға несие алған: { $loans }.
advisory-flag-elderly-alone = { $member } — күтімді қажет ететін жалғыз тұратын қарт адам.
advisory-flag-not-received = Отбасының «{ $programme }» алуға құқығы болуы мүмкін, бірақ алмайды: өтініш беруге көмектесіңіз.
