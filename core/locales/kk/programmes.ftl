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
